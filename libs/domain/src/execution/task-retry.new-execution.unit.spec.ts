import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { T } from '../testing/execution-scenario.js';
import { decide } from './execution.decider.js';
import type { ExecutionEvent, ExecutionRetryRequested } from './execution.events.js';
import { evolve } from './execution.evolver.js';
import type { Execution, ExecutionState } from './execution.state.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

/**
 * Task-level `retry.behavior: CREATE_NEW_EXECUTION`, after Kestra's test flows
 * core/src/test/resources/flows/valids/retry-new-execution-task-attempts.yml and
 * retry-new-execution-task-duration.yml (RetryCaseTest: RETRIED, RETRIED, FAILED).
 */
type Retry = ExecutionRetryRequested['data'];

/** Runs one execution of the chain: create, start, the worker fails `fail` at `failAt`. */
const runOnce = (yaml: string, retry: Retry | undefined, startAt: string, failAt: string): { execution: Execution; events: ExecutionEvent[] } => {
  const flow = parseFlow(yaml, CORE_TASK_CATALOG, 1);
  const events: ExecutionEvent[] = [];
  let state: ExecutionState;
  const apply = (decided: readonly ExecutionEvent[]) => {
    for (const event of decided) state = evolve(state, event);
    events.push(...decided);
  };
  const id = retry?.newExecutionId ?? 'e';
  apply(decide({
    type: 'CreateExecution', executionId: id, flow, inputs: {}, now: startAt,
    ...(retry !== undefined ? { originalId: retry.originalId, attemptNumber: retry.attemptNumber, originalCreatedDate: T(0) } : {}),
  }, undefined, { taskTypes: CORE_TASK_CATALOG, flow }));
  apply(decide({ type: 'AdvanceExecution', executionId: id, now: startAt }, state!, { taskTypes: CORE_TASK_CATALOG, flow }));
  apply(decide({ type: 'FailTaskRun', executionId: id, taskRunId: `${id}.0`, attempt: 1, error: 'boom', now: failAt }, state!, { taskTypes: CORE_TASK_CATALOG, flow }));
  return { execution: state! as Execution, events };
};

const retryOf = (events: readonly ExecutionEvent[]): Retry | undefined =>
  events.flatMap((e) => (e.type === 'ExecutionRetryRequested' ? [e.data] : []))[0];

describe('task retry behavior CREATE_NEW_EXECUTION', () => {
  it('counts the executions of the chain against maxAttempt: RETRIED, RETRIED, FAILED', () => {
    const yaml = `id: retry-new-execution-task-attempts
namespace: io.kestra.tests
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
    retry:
      behavior: CREATE_NEW_EXECUTION
      type: constant
      maxAttempt: 3
      interval: PT1S
`;
    const first = runOnce(yaml, undefined, T(0), T(1));
    expect(first.execution.state).toBe('RETRIED');
    expect(first.execution.taskRuns.map((t) => [t.taskId, t.state, t.attempts.length])).toEqual([['fail', 'RETRIED', 1]]);
    const retry2 = retryOf(first.events)!;
    expect(retry2).toMatchObject({ newExecutionId: 'e.retry.2', originalId: 'e', attemptNumber: 2, notBefore: T(2) });
    const second = runOnce(yaml, retry2, T(2), T(3));
    expect(second.execution).toMatchObject({ state: 'RETRIED', attemptNumber: 2, originalId: 'e' });
    // Each new execution starts its task runs afresh: attempt 1.
    expect(second.execution.taskRuns[0]?.attempts.map((a) => a.number)).toEqual([1]);
    const third = runOnce(yaml, retryOf(second.events), T(4), T(5));
    expect(third.execution).toMatchObject({ state: 'FAILED', attemptNumber: 3 });
    expect(retryOf(third.events)).toBeUndefined();
  });

  it('bounds the chain by maxDuration from the first execution', () => {
    const yaml = `id: retry-new-execution-task-duration
namespace: io.kestra.tests
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
    retry:
      behavior: CREATE_NEW_EXECUTION
      type: constant
      maxDuration: PT6S
      interval: PT2S
`;
    const first = runOnce(yaml, undefined, T(0), T(1));
    const second = runOnce(yaml, retryOf(first.events), T(3), T(3));
    expect(second.execution.state).toBe('RETRIED');
    // 5 s after the first began, a 2 s wait would end past the 6 s bound.
    const third = runOnce(yaml, retryOf(second.events), T(5), T(5));
    expect(third.execution.state).toBe('FAILED');
  });

  it("an enclosing flowable's policy applies; the parents end RETRIED and running siblings are stopped", () => {
    const yaml = `id: f
namespace: n
tasks:
  - id: par
    type: Parallel
    retry: { behavior: CREATE_NEW_EXECUTION, type: constant, interval: PT1S, maxAttempt: 2 }
    tasks:
      - { id: fail, type: Fail }
      - { id: other, type: Sleep, duration: PT1H }
`;
    const flow = parseFlow(yaml, CORE_TASK_CATALOG, 1);
    let state: ExecutionState;
    const apply = (decided: readonly ExecutionEvent[]) => {
      for (const event of decided) state = evolve(state, event);
      return decided;
    };
    apply(decide({ type: 'CreateExecution', executionId: 'e', flow, inputs: {}, now: T(0) }, undefined, { taskTypes: CORE_TASK_CATALOG, flow }));
    apply(decide({ type: 'AdvanceExecution', executionId: 'e', now: T(0) }, state!, { taskTypes: CORE_TASK_CATALOG, flow }));
    const failing = (state! as Execution).taskRuns.find((t) => t.taskId === 'fail')!;
    const events = apply(decide({ type: 'FailTaskRun', executionId: 'e', taskRunId: failing.id, attempt: 1, error: 'boom', now: T(1) }, state!, { taskTypes: CORE_TASK_CATALOG, flow }));
    const execution = state! as Execution;
    expect(execution.state).toBe('RETRIED');
    expect(execution.taskRuns.map((t) => `${t.taskId}:${t.state}`)).toEqual(['par:RETRIED', 'fail:RETRIED', 'other:KILLED']);
    expect(execution.timers).toEqual([]);
    expect(retryOf(events)).toMatchObject({ attemptNumber: 2, notBefore: T(2) });
  });
});
