import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { InputValidationError } from '../flow/input-validation.error.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { BENCHMARK01_FULL_NAMES } from '../testing/flow-fixtures.js';
import type { ExecutionCommand } from './execution.commands.js';
import { decide, evolve, executionDecider } from './execution.decider.js';
import { ExecutionNotFoundError, FlowRequiredError, TaskRunNotFoundError } from './execution.errors.js';
import type { ExecutionEvent } from './execution.events.js';
import { foldExecution } from './execution.fold.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const flow = parseFlow(BENCHMARK01_FULL_NAMES, CORE_TASK_CATALOG, 1);
// The worker path: these tests play the worker (local tasks are covered in local-tasks.unit.spec.ts).
const context = { flow, taskTypes: CORE_TASK_CATALOG, localTasks: false };
const spec = DeciderSpecification.for(executionDecider);
const T = (n: number) => `2025-01-01T00:00:0${n}.000Z`;
const id = 'exec-1';

const create: ExecutionCommand = { type: 'CreateExecution', executionId: id, flow, inputs: {}, labels: { team: 'data' }, now: T(0) };
const advance: ExecutionCommand = { type: 'AdvanceExecution', executionId: id, now: T(1) };
const start0: ExecutionCommand = { type: 'StartTaskRun', executionId: id, taskRunId: `${id}.0`, attempt: 1, workerId: 'w1', now: T(2) };
const complete0: ExecutionCommand = {
  type: 'CompleteTaskRun', executionId: id, taskRunId: `${id}.0`, attempt: 1, outputs: { values: { message: 'Hello World' } }, now: T(3),
};
const start1: ExecutionCommand = { type: 'StartTaskRun', executionId: id, taskRunId: `${id}.1`, attempt: 1, now: T(4) };
const complete1: ExecutionCommand = { type: 'CompleteTaskRun', executionId: id, taskRunId: `${id}.1`, attempt: 1, outputs: {}, now: T(5) };
const fail1: ExecutionCommand = { type: 'FailTaskRun', executionId: id, taskRunId: `${id}.1`, attempt: 1, error: 'disk full', now: T(5) };

// Kestra writes `system.correlationId` = the execution's id on every new execution
// (core/src/test/java/io/kestra/plugin/core/flow/RuntimeLabelsTest.java expects it among the labels).
const created: ExecutionEvent = {
  type: 'ExecutionCreated',
  data: { executionId: id, namespace: 'benchmarks', flowId: 'benchmark01', flowRevision: 1, inputs: { name: 'World' }, labels: { team: 'data', 'system.correlationId': id }, originalId: id, at: T(0) },
};
const started: ExecutionEvent = { type: 'ExecutionStarted', data: { at: T(1) } };
const taskRun0Created: ExecutionEvent = {
  type: 'TaskRunCreated',
  data: {
    taskRunId: `${id}.0`, taskId: 'concatenate', at: T(1),
    job: { executionId: id, taskRunId: `${id}.0`, taskId: 'concatenate', attempt: 1, type: 'OutputValues', properties: { values: { message: 'Hello World' } } },
  },
};
const taskRun0Started: ExecutionEvent = { type: 'TaskRunStarted', data: { taskRunId: `${id}.0`, attempt: 1, workerId: 'w1', at: T(2) } };
const taskRun0Succeeded: ExecutionEvent = { type: 'TaskRunSucceeded', data: { taskRunId: `${id}.0`, attempt: 1, outputs: { values: { message: 'Hello World' } }, at: T(3) } };
const taskRun1Created: ExecutionEvent = {
  type: 'TaskRunCreated',
  data: {
    taskRunId: `${id}.1`, taskId: 'hello', at: T(3),
    job: { executionId: id, taskRunId: `${id}.1`, taskId: 'hello', attempt: 1, type: 'Log', properties: { message: 'Hello World' } },
  },
};
const taskRun1Started: ExecutionEvent = { type: 'TaskRunStarted', data: { taskRunId: `${id}.1`, attempt: 1, at: T(4) } };
const taskRun1Succeeded: ExecutionEvent = { type: 'TaskRunSucceeded', data: { taskRunId: `${id}.1`, attempt: 1, outputs: {}, at: T(5) } };
const succeeded: ExecutionEvent = { type: 'ExecutionSucceeded', data: { at: T(5) } };

const history = [created, started, taskRun0Created, taskRun0Started, taskRun0Succeeded, taskRun1Created, taskRun1Started, taskRun1Succeeded, succeeded];

describe('execution decider: benchmark01 lifecycle', () => {
  it('creates the execution with typed inputs, flow labels and command labels', () => {
    spec.given([]).when(create).then([created]);
  });

  it('starts it and creates the first task run with its rendered job', () => {
    spec.given([created]).when(advance, context).then([started, taskRun0Created]);
  });

  it('starts a task run', () => {
    spec.given(history.slice(0, 3)).when(start0, context).then([taskRun0Started]);
  });

  it('completes the first task run and renders its outputs into the next job', () => {
    spec.given(history.slice(0, 4)).when(complete0, context).then([taskRun0Succeeded, taskRun1Created]);
  });

  it('completes the last task run and the execution', () => {
    spec.given(history.slice(0, 6)).when(start1, context).then([taskRun1Started]);
    spec.given(history.slice(0, 7)).when(complete1, context).then([taskRun1Succeeded, succeeded]);
  });

  it('folds the whole history into a successful execution', () => {
    const execution = foldExecution(history);
    expect(execution).toMatchObject({
      id, state: 'SUCCESS', revision: 8, startDate: T(0), endDate: T(5), originalId: id,
      stateHistory: [{ state: 'CREATED', date: T(0) }, { state: 'RUNNING', date: T(1) }, { state: 'SUCCESS', date: T(5) }],
    });
    expect(execution?.taskRuns.map((t) => [t.taskId, t.state, t.attempts.map((a) => a.state)])).toEqual([
      ['concatenate', 'SUCCESS', ['SUCCESS']],
      ['hello', 'SUCCESS', ['SUCCESS']],
    ]);
    expect(execution?.taskRuns[0].stateHistory.map((s) => s.state)).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);
    expect(execution?.taskRuns[0].outputs).toEqual({ values: { message: 'Hello World' } });
  });

  it('takes a completion whose start was lost as start plus success', () => {
    spec.given(history.slice(0, 3)).when(complete0, context).then([
      { type: 'TaskRunStarted', data: { taskRunId: `${id}.0`, attempt: 1, at: T(3) } },
      taskRun0Succeeded,
      taskRun1Created,
    ]);
  });

  it('succeeds at once when the flow has no tasks', () => {
    spec.given([created]).when(advance, { taskTypes: CORE_TASK_CATALOG, flow: { ...flow, tasks: [] } }).then([started, { type: 'ExecutionSucceeded', data: { at: T(1) } }]);
  });

  it('keeps a given originalId (replay) and works without command labels', () => {
    spec
      .given([])
      .when({ ...create, originalId: 'exec-0', inputs: { name: 'Ada' }, labels: undefined })
      .then([{ type: 'ExecutionCreated', data: { ...created.data, inputs: { name: 'Ada' }, labels: { 'system.correlationId': 'exec-0' }, originalId: 'exec-0' } } as ExecutionEvent]);
  });

  it('keeps the correlation id it is given: a Subflow child carries its parent chain\'s', () => {
    // core/src/test/java/io/kestra/plugin/core/flow/CorrelationIdTest.java: child and grand-child
    // of subflow-parent both carry the parent execution's id.
    spec
      .given([])
      .when({ ...create, labels: { team: 'data', 'system.correlationId': 'root' }, parent: { executionId: 'parent', taskRunId: 'parent.0' } })
      // The parent that started it is also recorded as who started it (issue 15's run options).
      .then([{ type: 'ExecutionCreated', data: { ...created.data, labels: { team: 'data', 'system.correlationId': 'root' }, parentId: 'parent', parent: { executionId: 'parent', taskRunId: 'parent.0' }, options: { startedBy: { kind: 'execution', id: 'parent' } } } } as ExecutionEvent]);
  });
});

describe('execution decider: failures', () => {
  it('fails the task run and the execution', () => {
    spec.given(history.slice(0, 7)).when(fail1, context).then([
      { type: 'TaskRunFailed', data: { taskRunId: `${id}.1`, attempt: 1, error: 'disk full', at: T(5) } },
      { type: 'ExecutionFailed', data: { error: 'task hello failed: disk full', at: T(5) } },
    ]);
    const execution = foldExecution([...history.slice(0, 7), ...decide(fail1, foldExecution(history.slice(0, 7)), context)]);
    expect(execution).toMatchObject({ state: 'FAILED', error: 'task hello failed: disk full', endDate: T(5) });
    expect(execution?.taskRuns[1]).toMatchObject({ state: 'FAILED', error: 'disk full', attempts: [{ number: 1, state: 'FAILED', error: 'disk full' }] });
  });

  it('fails a task whose properties cannot be rendered, naming task and expression', () => {
    const broken = parseFlow(BENCHMARK01_FULL_NAMES.replace('{{ outputs.concatenate.values.message }}', '{{ outputs.concatenate.values.msg }}'), CORE_TASK_CATALOG, 1);
    const error = 'task hello, property "message": cannot render "{{ outputs.concatenate.values.msg }}": undefined variable "outputs.concatenate.values.msg"';
    spec.given(history.slice(0, 4)).when(complete0, { taskTypes: CORE_TASK_CATALOG, flow: broken }).then([
      taskRun0Succeeded,
      { type: 'TaskRunCreated', data: { taskRunId: `${id}.1`, taskId: 'hello', at: T(3) } },
      // Rendering is the attempt's first step: attempt 1 starts and fails (retries would apply).
      { type: 'TaskRunStarted', data: { taskRunId: `${id}.1`, attempt: 1, at: T(3) } },
      { type: 'TaskRunFailed', data: { taskRunId: `${id}.1`, attempt: 1, error, at: T(3) } },
      { type: 'ExecutionFailed', data: { error: `task hello failed: ${error}`, at: T(3) } },
    ]);
  });

  it('rejects bad inputs with one error', () => {
    const strict = parseFlow(BENCHMARK01_FULL_NAMES.replace('    defaults: World\n', ''), CORE_TASK_CATALOG, 1);
    spec.given([]).when({ ...create, flow: strict }).thenThrows(InputValidationError, (e) => expect(e.issues).toEqual([{ input: 'name', message: 'required input is missing (STRING)' }]));
  });

  it('throws for a missing execution, an unknown task run, or a missing or foreign flow', () => {
    spec.given([]).when(advance, context).thenThrows(ExecutionNotFoundError);
    spec.given([created, started]).when({ ...start0, taskRunId: 'nope' }, context).thenThrows(TaskRunNotFoundError);
    spec.given([created]).when(advance).thenThrows(FlowRequiredError);
    spec.given([created]).when(advance, { taskTypes: CORE_TASK_CATALOG, flow: { ...flow, revision: 2 } }).thenThrows(FlowRequiredError, (e) =>
      expect(e.message).toBe('execution exec-1 runs flow benchmarks.benchmark01 revision 1, not benchmarks.benchmark01 revision 2'),
    );
  });
});

describe('execution decider: idempotency', () => {
  const cases: [string, ExecutionEvent[], ExecutionCommand][] = [
    ['CreateExecution', [created], create],
    ['AdvanceExecution', [created, started, taskRun0Created], advance],
    ['StartTaskRun', history.slice(0, 4), start0],
    ['CompleteTaskRun', history.slice(0, 6), complete0],
    ['FailTaskRun after failing', [...history.slice(0, 7), ...decide(fail1, foldExecution(history.slice(0, 7)), context)], fail1],
    ['StartTaskRun for a stale attempt', history.slice(0, 3), { ...start0, attempt: 2 } as ExecutionCommand],
    ['StartTaskRun on a terminal execution', history, start1],
    ['CompleteTaskRun on a terminal execution', history, complete1],
    ['FailTaskRun on a terminal execution', history, fail1],
    ['CompleteTaskRun of a finished task with another attempt', history.slice(0, 6), { ...complete0, attempt: 2 } as ExecutionCommand],
  ];
  it.each(cases)('%s decides nothing when redelivered', (_, given, command) => {
    spec.given(given).when(command, context).thenNothingHappened();
  });

  it('regenerates identical events for a redelivered command against the same state', () => {
    const state = foldExecution(history.slice(0, 4));
    expect(decide(complete0, state, context)).toEqual(decide(complete0, state, context));
  });

  it('never mutates the state it evolves', () => {
    const before = foldExecution(history.slice(0, 4));
    const snapshot = structuredClone(before);
    evolve(before, taskRun0Succeeded);
    expect(before).toEqual(snapshot);
  });
});
