import type { ExecutionCommand } from '../execution/execution.commands.js';
import { decide, evolve } from '../execution/execution.decider.js';
import { foldExecution } from '../execution/execution.fold.js';
import type { ExecutionCreated, ExecutionEvent } from '../execution/execution.events.js';
import type { Execution, ExecutionState } from '../execution/execution.state.js';
import { parseFlow } from '../flow/flow.parser.js';
import type { FlowDefinition } from '../flow/flow.model.js';
import type { JsonObject } from '../shared/json.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';
import type { TaskCatalog } from '../task-types/task-catalog.js';

/** `2025-01-01T00:00:<n>` for small n, as ISO-8601 UTC: readable clocks in decider tests. */
export const T = (seconds: number): string => new Date(Date.UTC(2025, 0, 1, 0, 0, seconds)).toISOString();

/** The fold of a stream that begins with its creation: a spec's execution, never `undefined` (throws instead, so an assertion on it cannot pass by accident). */
export const foldCreated = (events: Iterable<ExecutionEvent>): Execution => {
  const state = foldExecution(events);
  if (state === undefined) throw new Error('the events fold to no execution: the stream must begin with ExecutionCreated');
  return state;
};

/**
 * A flow under test and its execution `e`, folded as commands are decided: `when` decides a
 * command against the current state, folds the result and returns the events (test support only).
 * Local tasks are off unless asked for: these tests play the worker themselves, with Log and
 * OutputValues as the stand-ins for any runnable task. The flow is parsed and decided with the
 * domain's own task types unless `taskTypes` says otherwise (libs/tasks' tests pass the full catalog).
 */
export class Scenario {
  readonly flow: FlowDefinition;
  readonly history: ExecutionEvent[] = [];
  private state: ExecutionState;

  /** `extra`: more ExecutionCreated data (run options...). */
  constructor(
    yaml: string,
    inputs: JsonObject = {},
    readonly id = 'e',
    readonly localTasks = false,
    extra: Partial<ExecutionCreated['data']> = {},
    readonly taskTypes: TaskCatalog = CORE_TASK_CATALOG,
  ) {
    this.flow = parseFlow(yaml, taskTypes, 1);
    const created: ExecutionCreated = {
      type: 'ExecutionCreated',
      data: { executionId: id, namespace: this.flow.namespace, flowId: this.flow.id, flowRevision: 1, inputs, labels: this.flow.labels, originalId: id, at: T(0), ...extra },
    };
    this.state = evolve(undefined, created);
    this.history.push(created);
  }

  get execution(): Execution {
    return this.state as Execution;
  }

  when(command: ExecutionCommand): ExecutionEvent[] {
    const events = decide(command, this.state, { flow: this.flow, taskTypes: this.taskTypes, localTasks: this.localTasks });
    for (const event of events) this.state = evolve(this.state, event);
    this.history.push(...events);
    return events;
  }

  advance(now = T(1)): ExecutionEvent[] {
    return this.when({ type: 'AdvanceExecution', executionId: this.id, now });
  }

  /** The worker ran attempt `attempt` of the task run of `taskId` (its latest) successfully. */
  complete(taskId: string, outputs: JsonObject = {}, now = T(2), attempt?: number): ExecutionEvent[] {
    const run = this.run(taskId);
    return this.when({ type: 'CompleteTaskRun', executionId: this.id, taskRunId: run.id, attempt: attempt ?? Math.max(1, run.attempts.length), outputs, now });
  }

  fail(taskId: string, error = 'boom', now = T(2), attempt?: number): ExecutionEvent[] {
    const run = this.run(taskId);
    return this.when({ type: 'FailTaskRun', executionId: this.id, taskRunId: run.id, attempt: attempt ?? Math.max(1, run.attempts.length), error, now });
  }

  fire(timerId: string, now = T(10)): ExecutionEvent[] {
    return this.when({ type: 'FireTimer', executionId: this.id, timerId, now });
  }

  run(taskId: string, index = -1) {
    const runs = this.execution.taskRuns.filter((t) => t.taskId === taskId);
    const run = runs.at(index);
    if (run === undefined) throw new Error(`no task run of ${taskId}`);
    return run;
  }

  /** `taskId:STATE` of every task run, in creation order. */
  states(): string[] {
    return this.execution.taskRuns.map((t) => `${t.taskId}:${t.state}`);
  }
}
