import { describe, expect, it } from 'vitest';
import { FlowValidationError } from '../flow/flow-validation.error.js';
import { parseFlow } from '../flow/flow.parser.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { Scenario, T } from '../testing/execution-scenario.js';
import { executionDecider } from './execution.decider.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const spec = DeciderSpecification.for(executionDecider);

const issuesOf = (source: string): string[] => {
  try {
    parseFlow(source, CORE_TASK_CATALOG);
    return [];
  } catch (error) {
    if (error instanceof FlowValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
};

// Kestra's core/src/test/resources/flows/valids/labels-update-task.yml (RuntimeLabelsTest.update).
const LABELS = `id: labels-update-task
namespace: io.kestra.tests
labels:
  flowLabelKey: flowLabelValue
  overriddenFlowLabelKey: flowValueThatWillGetOverridden
inputs:
  - id: labelsJson
    type: JSON
  - id: labelsMapKey
    type: STRING
  - id: labelsMapValue
    type: STRING
  - id: labelsListKey
    type: STRING
  - id: labelsListValue
    type: STRING
tasks:
  - id: from-render
    type: io.kestra.plugin.core.execution.Labels
    labels: "{{ inputs.labelsJson }}"
  - id: from-map
    type: io.kestra.plugin.core.execution.Labels
    labels:
      "{{ inputs.labelsMapKey }}": "{{ inputs.labelsMapValue }}"
  - id: from-list
    type: io.kestra.plugin.core.execution.Labels
    labels:
      - key: "{{ inputs.labelsListKey }}"
        value: "{{ inputs.labelsListValue }}"
  - id: override-labels
    type: io.kestra.plugin.core.execution.Labels
    labels:
      overriddenFlowLabelKey: "{{ flow.namespace ~ '.' ~ flow.id }}"
      overriddenExecutionLabelKey: "{{ taskrun.id }}"
`;

describe('Labels (io.kestra.plugin.core.execution.Labels)', () => {
  it('labels-update-task.yml: sets labels from an expression, a map and a list; later tasks override', () => {
    const s = new Scenario(LABELS, {
      labelsJson: { keyFromJson: 'valueFromJson' },
      labelsMapKey: 'keyFromMap', labelsMapValue: 'valueFromMap',
      labelsListKey: 'keyFromList', labelsListValue: 'valueFromList',
    });
    s.advance();
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.execution.labels).toEqual({
      flowLabelKey: 'flowLabelValue',
      overriddenFlowLabelKey: 'io.kestra.tests.labels-update-task',
      keyFromJson: 'valueFromJson',
      keyFromMap: 'valueFromMap',
      keyFromList: 'valueFromList',
      overriddenExecutionLabelKey: 'e.3',
    });
    expect(s.states()).toEqual(['from-render:SUCCESS', 'from-map:SUCCESS', 'from-list:SUCCESS', 'override-labels:SUCCESS']);
  });

  it('given a Labels task, when the execution advances, then ExecutionLabelsChanged carries the merged labels', () => {
    const s = new Scenario('id: f\nnamespace: n\nlabels: { team: a }\ntasks:\n  - { id: l, type: Labels, labels: { env: prod } }\n');
    spec.given(s.history).when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, { taskTypes: CORE_TASK_CATALOG, flow: s.flow }).then([
      { type: 'ExecutionStarted', data: { at: T(1) } },
      { type: 'TaskRunCreated', data: { taskRunId: 'e.0', taskId: 'l', at: T(1) } },
      { type: 'TaskRunStateChanged', data: { taskRunId: 'e.0', state: 'RUNNING', at: T(1) } },
      { type: 'ExecutionLabelsChanged', data: { labels: { team: 'a', env: 'prod' }, taskRunId: 'e.0', at: T(1) } },
      { type: 'TaskRunStateChanged', data: { taskRunId: 'e.0', state: 'SUCCESS', at: T(1) } },
      { type: 'ExecutionSucceeded', data: { at: T(1) } },
    ]);
  });

  it('fails the task on a system label or an expression that is not a map', () => {
    const s = new Scenario('id: f\nnamespace: n\ntasks:\n  - { id: l, type: Labels, labels: { system.correlationId: x } }\n');
    s.advance();
    expect(s.execution.state).toBe('FAILED');
    expect(s.run('l').error).toBe('task l: system labels can only be set by Chronicle itself, offending label: system.correlationId=x');
    const t = new Scenario('id: f\nnamespace: n\ntasks:\n  - { id: l, type: Labels, labels: "{{ 1 + 1 }}" }\n');
    t.advance();
    expect(t.run('l').error).toBe('task l, property "labels": the expression must give a JSON map of labels, got 2');
  });

  // Kestra's RuntimeLabelsTest#updateGetsDeduplicated (Kestra >= 0.22): a JSON map written out as text, and a key given twice: the last wins.
  it('takes a JSON map written out as text; a key given twice keeps its last value', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - id: from-string
    type: Labels
    labels: "{ \\"fromStringKey\\": \\"value1\\", \\"fromStringKey\\": \\"value2\\" }"
  - id: from-list
    type: Labels
    labels: [{ key: fromListKey, value: value1 }, { key: fromListKey, value: value2 }]
`);
    s.advance();
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.execution.labels).toEqual({ fromStringKey: 'value2', fromListKey: 'value2' });
  });

  // Kestra's RuntimeLabelsTest#shouldUpdateWithNestedValueInList / InMap: a nested value is its JSON text.
  it('sets a nested value as its JSON text, in the list form and the map form', () => {
    for (const labels of ['[{ key: stage, value: { name: done } }]', '{ stage: { name: done } }']) {
      const s = new Scenario(`id: f\nnamespace: n\ntasks:\n  - { id: l, type: Labels, labels: ${labels} }\n`);
      s.advance();
      expect(s.execution.labels).toEqual({ stage: '{"name":"done"}' });
    }
  });

  it('refuses labels that are neither a map, a list of { key, value } nor an expression', () => {
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: l, type: Labels, labels: [a] }\n')).toEqual(['tasks[0].labels[0]: must be a mapping { key, value }']);
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: l, type: Labels }\n')).toEqual(['tasks[0]: required property "labels" is missing']);
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: l, type: Labels, labels: "team=a" }\n')).toEqual(['tasks[0].labels: a text must be a JSON map of labels or an expression giving one']);
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: l, type: Labels, labels: { team: null } }\n')).toEqual(['tasks[0].labels.team: a label value must not be empty']);
  });
});

// Kestra's documentation example of io.kestra.plugin.core.execution.Exit.
const EXIT = (state: string) => `id: exit
namespace: company.team
inputs:
  - id: state
    type: STRING
    defaults: CONTINUE
tasks:
  - id: if
    type: io.kestra.plugin.core.flow.If
    condition: "{{inputs.state == 'CONTINUE'}}"
    then:
      - id: hello
        type: io.kestra.plugin.core.log.Log
        message: I'm continuing
    else:
      - id: exit
        type: io.kestra.plugin.core.execution.Exit
        state: ${state}
  - id: end
    type: io.kestra.plugin.core.log.Log
    message: I'm ending
`;

describe('Exit (io.kestra.plugin.core.execution.Exit)', () => {
  it('docs example, END: the execution ends KILLED and the next task never runs', () => {
    const s = new Scenario(EXIT('KILLED'), { state: 'END' }, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('KILLED');
    expect(s.states()).toEqual(['if:KILLED', 'exit:KILLED']);
  });

  it('docs example, CONTINUE: Exit is not reached and the flow ends SUCCESS', () => {
    const s = new Scenario(EXIT('KILLED'), { state: 'CONTINUE' }, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.states()).toEqual(['if:SUCCESS', 'hello:SUCCESS', 'end:SUCCESS']);
  });

  it.each([['SUCCESS', 'SUCCESS'], ['WARNING', 'WARNING'], ['FAILED', 'FAILED'], ['"{{ \'warning\' }}"', 'WARNING']])('state %s ends the execution %s at once', (state, expected) => {
    const s = new Scenario(EXIT(state), { state: 'END' }, 'e', true);
    s.advance();
    expect(s.execution.state).toBe(expected);
    expect(s.states()).toEqual([`if:${expected}`, `exit:${expected}`]);
  });

  // Exit.java: `case CANCELED -> State.Type.CANCELLED`, through the same update as SUCCESS/WARNING/FAILED.
  it('state CANCELED ends the task run, its parents and the execution CANCELLED at once; the next task never runs', () => {
    expect(issuesOf(EXIT('CANCELED'))).toEqual([]);
    const s = new Scenario(EXIT('CANCELED'), { state: 'END' }, 'e', true);
    const events = s.advance();
    expect(s.execution.state).toBe('CANCELLED');
    expect(s.states()).toEqual(['if:CANCELLED', 'exit:CANCELLED']);
    expect(events.at(-1)).toEqual({ type: 'ExecutionStateChanged', data: { state: 'CANCELLED', reason: 'task exit exited the execution with state CANCELED', at: T(1) } });
  });

  it('refuses an unknown state', () => {
    expect(issuesOf(EXIT('DONE'))).toEqual(['tasks[0].else[0].state: must be one of SUCCESS, WARNING, FAILED, KILLED, CANCELED']);
  });
});

describe('WorkingDirectory (io.kestra.plugin.core.flow.WorkingDirectory)', () => {
  it('runs its tasks in order like Sequential and ends SUCCESS', () => {
    const s = new Scenario('id: f\nnamespace: n\ntasks:\n  - id: wd\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    tasks:\n      - { id: a, type: Log, message: a }\n      - { id: b, type: Log, message: b }\n');
    s.advance();
    expect(s.states()).toEqual(['wd:RUNNING', 'a:CREATED']);
    s.complete('a');
    s.complete('b');
    expect(s.states()).toEqual(['wd:SUCCESS', 'a:SUCCESS', 'b:SUCCESS']);
  });

  // Kestra's flows/valids/working-directory-taskrun.yml and -taskrun-nested.yml (WorkingDirectoryTest.taskrun*).
  it('its tasks see its loop value as taskrun.value, and it as workerTaskrun and parent', () => {
    const s = new Scenario('id: working-directory-taskrun\nnamespace: io.kestra.tests\ntasks:\n  - id: parallel\n    type: io.kestra.plugin.core.flow.ForEach\n    concurrencyLimit: 0\n    values: ["1"]\n    tasks:\n      - id: workingDir\n        type: io.kestra.plugin.core.flow.WorkingDirectory\n        tasks:\n          - id: log-taskrun\n            type: io.kestra.plugin.core.debug.Return\n            format:  "{{ taskrun.value }}"\n', {}, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.execution.taskRuns).toHaveLength(3);
    expect(s.run('log-taskrun').outputs).toEqual({ value: '1' });

    const nested = new Scenario(`id: working-directory-taskrun-nested
namespace: io.kestra.tests
tasks:
  - id: parallel
    type: io.kestra.plugin.core.flow.ForEach
    concurrencyLimit: 0
    values: ["1"]
    tasks:
      - id: seq
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: workingDir
            type: io.kestra.plugin.core.flow.WorkingDirectory
            tasks:
              - id: log-taskrun
                type: io.kestra.plugin.core.debug.Return
                format: "{{ workerTaskrun }}"
              - id: log-workerparents
                type: io.kestra.plugin.core.debug.Return
                format:  "{{ parents }}"
              - id: log-workerparent
                type: io.kestra.plugin.core.debug.Return
                format:  "{{ parent }}"
`, {}, 'e', true);
    nested.advance();
    expect(nested.execution.state).toBe('SUCCESS');
    expect(nested.execution.taskRuns).toHaveLength(6);
    expect(nested.run('log-workerparent').outputs?.value).toContain('{"taskrun":{"value":"1"}}');
    expect(JSON.parse(nested.run('log-taskrun').outputs?.value as string)).toMatchObject({ id: 'e.2', value: '1' });
  });

  it('refuses flowable children and missing tasks (Kestra flows/invalids/workingdirectory-invalid.yaml, -no-tasks.yaml)', () => {
    const invalid = 'id: workingdirectory-impossible\nnamespace: io.kestra.tests\ntasks:\n  - id: impossible\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    tasks:\n      - { id: log, type: io.kestra.plugin.core.log.Log, message: Hello World }\n      - id: pause\n        type: io.kestra.plugin.core.flow.Pause\n        delay: PT5S\n        tasks:\n          - { id: log-pause, type: io.kestra.plugin.core.log.Log, message: Hello World }\n';
    expect(issuesOf(invalid)).toEqual(['tasks[0].tasks[1].type: Only runnable tasks are allowed as children of a WorkingDirectory task; "pause" is a Pause']);
    expect(issuesOf('id: workingdirectory-no-tasks\nnamespace: io.kestra.tests\ntasks:\n  - id: impossible\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n')).toEqual(['tasks[0]: required property "tasks" is missing']);
  });

  it('takes inputFiles and outputFiles; refuses cache and namespaceFiles with the reason', () => {
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - id: wd\n    type: WorkingDirectory\n    inputFiles: { a.txt: x }\n    outputFiles: ["*.txt"]\n    tasks:\n      - { id: a, type: Log, message: a }\n')).toEqual([]);
    const issues = issuesOf('id: f\nnamespace: n\ntasks:\n  - id: wd\n    type: WorkingDirectory\n    namespaceFiles: { enabled: true }\n    outputFiles: "*.txt"\n    tasks:\n      - { id: a, type: Log, message: a }\n');
    expect(issues).toEqual([
      'tasks[0].namespaceFiles: "namespaceFiles" is not supported by Chronicle: copy namespace files into the folder with namespace.DownloadFiles, then LocalFiles with their URIs',
      'tasks[0].outputFiles: must be a list of glob patterns',
    ]);
  });
});

describe('core task types Chronicle refuses at deploy', () => {
  it.each([
    ['io.kestra.plugin.core.flow.Template', 'Template is deprecated'],
    ['io.kestra.core.tasks.flows.Template', 'Template is deprecated'],
  ])('%s', (type, reason) => {
    const [issue] = issuesOf(`id: f\nnamespace: n\ntasks:\n  - { id: t, type: ${type} }\n`);
    expect(issue).toContain(`tasks[0].type: task type ${type} is not supported by Chronicle: ${reason}`);
  });
});

describe('Resume (io.kestra.plugin.core.execution.Resume)', () => {
  // Kestra's core/src/test/resources/flows/valids/resume-execution.yaml (ResumeTest.resume).
  const RESUME = 'id: resume-execution\nnamespace: io.kestra.tests\ninputs:\n  - id: executionId\n    type: STRING\ntasks:\n  - id: resume\n    type: io.kestra.plugin.core.execution.Resume\n    executionId: "{{inputs.executionId}}"\n';

  it('records the request for the paused execution and waits, RUNNING, for its answer (the decision never blocks)', () => {
    const s = new Scenario(RESUME, { executionId: 'paused-1' });
    spec.given(s.history).when({ type: 'AdvanceExecution', executionId: 'e', now: T(1) }, { taskTypes: CORE_TASK_CATALOG, flow: s.flow }).then([
      { type: 'ExecutionStarted', data: { at: T(1) } },
      { type: 'TaskRunCreated', data: { taskRunId: 'e.0', taskId: 'resume', at: T(1) } },
      { type: 'TaskRunStateChanged', data: { taskRunId: 'e.0', state: 'RUNNING', at: T(1) } },
      { type: 'ExecutionResumeRequested', data: { taskRunId: 'e.0', targetExecutionId: 'paused-1', requesterNamespace: 'io.kestra.tests', at: T(1) } },
    ]);
  });

  it('ResumeTest.resume: the paused target resumed, the task and the execution end SUCCESS', () => {
    const s = new Scenario(RESUME, { executionId: 'paused-1' });
    s.advance();
    s.when({ type: 'ResumeAnswered', executionId: 'e', taskRunId: 'e.0', targetExecutionId: 'paused-1', resumed: true, now: T(2) });
    expect(s.states()).toEqual(['resume:SUCCESS']);
    expect(s.execution.state).toBe('SUCCESS');
    // A second answer (a redelivery) changes nothing.
    expect(s.when({ type: 'ResumeAnswered', executionId: 'e', taskRunId: 'e.0', targetExecutionId: 'paused-1', resumed: false, now: T(3) })).toEqual([]);
  });

  it('a target that was not PAUSED fails the task (Kestra ExecutionService.resume: "The execution is not paused")', () => {
    const s = new Scenario(RESUME, { executionId: 'running-1' });
    s.advance();
    s.when({ type: 'ResumeAnswered', executionId: 'e', taskRunId: 'e.0', targetExecutionId: 'running-1', resumed: false, error: 'execution running-1 is not paused (it is RUNNING)', now: T(2) });
    expect(s.states()).toEqual(['resume:FAILED']);
    expect(s.run('resume').error).toBe('task resume: execution running-1 is not paused (it is RUNNING)');
    expect(s.execution.state).toBe('FAILED');
  });

  it('the target answers a Resume task\'s request: resumed when PAUSED, unchanged otherwise', () => {
    const requestedBy = { executionId: 'caller', taskRunId: 'caller.0' };
    const paused = new Scenario('id: pause\nnamespace: io.kestra.tests\ntasks:\n  - { id: pause, type: Pause }\n  - { id: after, type: Log, message: done }\n');
    paused.advance();
    expect(paused.execution.state).toBe('PAUSED');
    const events = paused.when({ type: 'ResumeExecution', executionId: 'e', approve: true, requestedBy, now: T(2) });
    expect(events[0]).toEqual({ type: 'ExecutionResumeAnswered', data: { requestedBy, resumed: true, state: 'PAUSED', at: T(2) } });
    expect(paused.execution.state).toBe('RUNNING');
    const again = paused.when({ type: 'ResumeExecution', executionId: 'e', approve: true, requestedBy, now: T(3) });
    expect(again).toEqual([{ type: 'ExecutionResumeAnswered', data: { requestedBy, resumed: false, state: 'RUNNING', at: T(3) } }]);
  });

  it('defaults to the current execution and renders its inputs', () => {
    const s = new Scenario('id: f\nnamespace: n\ntasks:\n  - { id: r, type: Resume, inputs: { by: "{{ flow.id }}" } }\n');
    const events = s.advance();
    expect(events.find((e) => e.type === 'ExecutionResumeRequested')?.data).toEqual({ taskRunId: 'e.0', targetExecutionId: 'e', inputs: { by: 'f' }, requesterNamespace: 'n', at: T(1) });
  });

  it('resumes only for a flow of its own namespace or a parent one: another namespace\'s request is answered as for no execution, not obeyed', () => {
    const paused = new Scenario('id: gate\nnamespace: teamB.approvals\ntasks:\n  - { id: approval, type: Pause }\n  - { id: after, type: Log, message: approved }\n');
    paused.advance();
    expect(paused.execution.state).toBe('PAUSED');
    const foreign = { executionId: 'caller', taskRunId: 'caller.0', namespace: 'teamA' };
    expect(paused.when({ type: 'ResumeExecution', executionId: 'e', approve: true, requestedBy: foreign, now: T(2) })).toEqual([
      { type: 'ExecutionResumeAnswered', data: { requestedBy: foreign, resumed: false, state: 'PAUSED', error: 'No execution found for execution id e', at: T(2) } },
    ]);
    expect(paused.execution.state).toBe('PAUSED');
    // A sibling whose name merely starts the same is another namespace too; the parent namespace may.
    expect(paused.when({ type: 'ResumeExecution', executionId: 'e', approve: true, requestedBy: { ...foreign, namespace: 'teamB.app' }, now: T(3) })[0]).toMatchObject({ data: { resumed: false } });
    const parent = { ...foreign, namespace: 'teamB' };
    expect(paused.when({ type: 'ResumeExecution', executionId: 'e', approve: true, requestedBy: parent, now: T(4) })[0]).toEqual({ type: 'ExecutionResumeAnswered', data: { requestedBy: parent, resumed: true, state: 'PAUSED', at: T(4) } });
    expect(paused.execution.state).toBe('RUNNING');
  });

  it('refuses namespace without flowId, and either without executionId (Kestra PluginUtilsService)', () => {
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: r, type: Resume, executionId: x, namespace: n }\n')).toEqual(['tasks[0]: both "namespace" and "flowId" must be set when "executionId" is set']);
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: r, type: Resume, namespace: n, flowId: f }\n')).toEqual(['tasks[0]: "namespace" and "flowId" may only be set when "executionId" is set']);
  });
});

describe('SetVariables / UnsetVariables (io.kestra.plugin.core.execution)', () => {
  // Kestra's documentation example "Set and later unset variables" (UnsetVariables.java).
  const VARIABLES = `id: variables
namespace: company.team
variables:
  name: World
tasks:
  - id: set_vars
    type: io.kestra.plugin.core.execution.SetVariables
    variables:
      message: Hello
      name: Loïc
  - id: hello
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.message }} {{ vars.name }}"
  - id: unset_variables
    type: io.kestra.plugin.core.execution.UnsetVariables
    variables:
      - message
      - name
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ vars.message ?? 'none' }}"
`;

  it('docs example: set variables are read as vars, then unset', () => {
    const s = new Scenario(VARIABLES, {}, 'e', true);
    s.advance();
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.run('hello').outputs).toEqual({ value: 'Hello Loïc' });
    expect(s.run('after').outputs).toEqual({ value: 'none' });
    expect(s.execution.variables).toEqual({});
  });

  it('deep-merges nested maps and renders values', () => {
    const s = new Scenario('id: f\nnamespace: n\nvariables: { db: { host: a, port: 1 } }\ntasks:\n  - { id: s, type: SetVariables, variables: { db: { port: "{{ 1 + 1 }}" } } }\n  - { id: u, type: UnsetVariables, variables: [db.host] }\n');
    s.advance();
    expect(s.execution.variables).toEqual({ db: { port: '2' } });
  });

  it('overwrite: false fails on an existing variable', () => {
    const s = new Scenario('id: f\nnamespace: n\nvariables: { name: World }\ntasks:\n  - { id: s, type: SetVariables, overwrite: false, variables: { name: x } }\n');
    s.advance();
    expect(s.run('s')).toMatchObject({ state: 'FAILED', error: 'task s: `overwrite` is set to false and the following variables already exist: name' });
  });

  it('unsetting inside a missing map fails unless ignoreMissing', () => {
    const s = new Scenario('id: f\nnamespace: n\ntasks:\n  - { id: u, type: UnsetVariables, variables: [a.b] }\n');
    s.advance();
    expect(s.run('u')).toMatchObject({ state: 'FAILED', error: 'task u: cannot unset variable "a.b": "a" is not a map of variables' });
    const t = new Scenario('id: f\nnamespace: n\ntasks:\n  - { id: u, type: UnsetVariables, ignoreMissing: true, variables: [a.b, c] }\n');
    t.advance();
    expect(t.execution.state).toBe('SUCCESS');
  });
});
