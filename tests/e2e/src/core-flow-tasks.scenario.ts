import { expect, it } from 'vitest';
import type { GatewayClient } from '@chronicle/testing';
import { deploy, ended, history, NS, start, until } from './engine.scenario.js';

/**
 * Kestra's core flowables and execution tasks end to end (issue 14), the same in every mode:
 * a Dag, a WaitFor looping on durable timers, Labels set on the running execution, Exit.
 * The flows are Kestra's own test flows and documentation examples (paths below).
 */
const labelsOf = async (c: GatewayClient, id: string): Promise<Record<string, string>> =>
  (await c.data(`query($id:ID!){ execution(id:$id){ labels } }`, { id })).execution.labels;

export function coreFlowTasksScenario(client: () => GatewayClient): void {
  it('Dag (Kestra flows/valids/dag.yaml): every task after its dependencies, SUCCESS with 7 task runs', async () => {
    const c = client();
    const entry = (id: string, deps: string[] = []) =>
      `      - task:\n          id: ${id}\n          type: io.kestra.plugin.core.log.Log\n          message: "{{ task.id }}"\n${deps.length > 0 ? `        dependsOn: [${deps.join(', ')}]\n` : ''}`;
    await deploy(c, `id: dag\nnamespace: ${NS}\ntasks:\n  - id: dag\n    type: io.kestra.plugin.core.flow.Dag\n    tasks:\n${entry('task1')}${entry('task2', ['task1'])}${entry('task3', ['task1'])}${entry('task4', ['task2'])}${entry('task5', ['task4', 'task3'])}${entry('task6', ['task2', 'task3'])}`);
    const done = await ended(c, await start(c, 'dag'));
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns).toHaveLength(7);
    const order = done.taskRuns.map((t) => t.taskId);
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('task1', 'task2');
    before('task1', 'task3');
    before('task2', 'task4');
    before('task4', 'task5');
    before('task3', 'task5');
    before('task3', 'task6');
  });

  it('WaitFor (Kestra flows/valids/waitfor-multiple-tasks.yaml): loops on durable timers until count is "4"', async () => {
    const c = client();
    await deploy(c, `id: waitfor-multiple-tasks
namespace: ${NS}
tasks:
  - id: waitfor
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ outputs.output_values.values.count == '4'}}"
    checkFrequency:
      interval: PT0.2S
    tasks:
      - id: echo
        type: io.kestra.plugin.core.log.Log
        message: "looping ..."
      - id: output_values
        type: io.kestra.plugin.core.output.OutputValues
        values:
          count: "{{ outputs.waitfor.iterationCount + 1 }}"
`);
    const id = await start(c, 'waitfor-multiple-tasks');
    const done = await ended(c, id);
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns.filter((t) => t.taskId === 'output_values').map((t) => t.outputs.values.count)).toEqual(['2', '3', '4']);
    const events = await history(c, id);
    expect(events.filter((e) => e.type === 'TimerFired')).toHaveLength(2);
  });

  it('Labels (Kestra flows/valids/labels-update-task.yml): labels from an expression, a map and a list reach the execution', async () => {
    const c = client();
    await deploy(c, `id: labels-update-task
namespace: ${NS}
labels:
  flowLabelKey: flowLabelValue
  overriddenFlowLabelKey: flowValueThatWillGetOverridden
inputs:
  - { id: labelsJson, type: JSON }
  - { id: labelsMapKey, type: STRING }
  - { id: labelsMapValue, type: STRING }
  - { id: labelsListKey, type: STRING }
  - { id: labelsListValue, type: STRING }
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
`);
    const id = await start(c, 'labels-update-task', {
      labelsJson: '{"keyFromJson": "valueFromJson"}', labelsMapKey: 'keyFromMap', labelsMapValue: 'valueFromMap', labelsListKey: 'keyFromList', labelsListValue: 'valueFromList',
    });
    expect((await ended(c, id)).state).toBe('SUCCESS');
    expect(await labelsOf(c, id)).toMatchObject({
      flowLabelKey: 'flowLabelValue',
      overriddenFlowLabelKey: `${NS}.labels-update-task`,
      keyFromJson: 'valueFromJson',
      keyFromMap: 'valueFromMap',
      keyFromList: 'valueFromList',
    });
  });

  it('Exit (Kestra docs example): state KILLED ends the execution KILLED before the next task', async () => {
    const c = client();
    await deploy(c, `id: exit
namespace: ${NS}
inputs:
  - { id: state, type: STRING, defaults: CONTINUE }
tasks:
  - id: if
    type: io.kestra.plugin.core.flow.If
    condition: "{{inputs.state == 'CONTINUE'}}"
    then:
      - { id: hello, type: io.kestra.plugin.core.log.Log, message: "I'm continuing" }
    else:
      - { id: exit, type: io.kestra.plugin.core.execution.Exit, state: KILLED }
  - { id: end, type: io.kestra.plugin.core.log.Log, message: "I'm ending" }
`);
    const done = await ended(c, await start(c, 'exit', { state: 'END' }));
    expect(done.state).toBe('KILLED');
    expect(done.taskRuns.map((t) => `${t.taskId}:${t.state}`)).toEqual(['if:KILLED', 'exit:KILLED']);
  });

  it('Resume (Kestra flows/valids/resume-execution.yaml on pause.yaml): the task resumes another, paused execution', async () => {
    const c = client();
    await deploy(c, `id: pause
namespace: ${NS}
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    tasks:
      - { id: subtask, type: io.kestra.plugin.core.log.Log, message: "trigger after manual restart" }
  - { id: last, type: io.kestra.plugin.core.debug.Return, format: "{{task.id}} > {{taskrun.startDate}}" }
`);
    await deploy(c, `id: resume-execution
namespace: ${NS}
inputs:
  - { id: executionId, type: STRING }
tasks:
  - id: resume
    type: io.kestra.plugin.core.execution.Resume
    executionId: "{{inputs.executionId}}"
`);
    const paused = await start(c, 'pause');
    await until(c, paused, 'the execution paused', (e) => e.state === 'PAUSED');
    const resume = await ended(c, await start(c, 'resume-execution', { executionId: paused }));
    expect(resume.state).toBe('SUCCESS');
    const done = await ended(c, paused);
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns.map((t) => `${t.taskId}:${t.state}`)).toEqual(['pause:SUCCESS', 'subtask:SUCCESS', 'last:SUCCESS']);

    // Kestra's ExecutionService.resume: a target that is not PAUSED (this one ended) fails the task,
    // and so does an execution that does not exist (Resume.java).
    const notPaused = await ended(c, await start(c, 'resume-execution', { executionId: paused }));
    expect(notPaused.state).toBe('FAILED');
    expect(notPaused.taskRuns[0]).toMatchObject({ taskId: 'resume', state: 'FAILED', error: `task resume: execution ${paused} is not paused (it is SUCCESS)` });
    const missing = await ended(c, await start(c, 'resume-execution', { executionId: 'no-such-execution' }));
    expect(missing.taskRuns[0]).toMatchObject({ state: 'FAILED', error: 'task resume: No execution found for execution id no-such-execution' });
    // Every execution carries system.correlationId: its own id (Kestra's Execution.newExecution).
    expect((await labelsOf(c, paused))['system.correlationId']).toBe(paused);
  });
}
