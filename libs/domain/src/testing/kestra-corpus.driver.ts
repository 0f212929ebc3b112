import type { ExecutionCommand } from '../execution/execution.commands.js';
import { decide, evolve } from '../execution/execution.decider.js';
import type { ExecutionCreated, ExecutionEvent } from '../execution/execution.events.js';
import { outputsTree } from '../execution/expression-scope.js';
import type { Execution, ExecutionState } from '../execution/execution.state.js';
import { isTerminal } from '../execution/state.js';
import type { TaskJob } from '../execution/task-job.js';
import { runPure } from '../task-types/local-tasks.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';
import type { TaskCatalog } from '../task-types/task-catalog.js';
import type { FlowDefinition } from '../flow/flow.model.js';
import type { JsonObject } from '../shared/json.js';

/**
 * Runs executions purely through the decider, as the executor would, with a worker that runs each
 * runnable task's real pure run (its type's module: Log, Return, OutputValues, Fail, Echo), a fake
 * scheduler (timers fire in time order on a virtual clock) and child executions for Subflow tasks.
 * Test support only.
 */

export type WorkerResult = { readonly outputs: JsonObject } | { readonly error: string };

/**
 * What a runnable task does here: the real pure run of its type (its definition's `run`, which the
 * executor runs for local tasks and the worker's runner calls). A type whose work needs I/O (a module
 * of libs/tasks) cannot run without the worker's services: the driver refuses it rather than fake it.
 */
export const pureWorker = (taskTypes: TaskCatalog, job: TaskJob): WorkerResult => {
  if (taskTypes.find(job.type)?.run === undefined) throw new Error(`the pure driver cannot run ${job.type}: it does I/O (run it end to end)`);
  const result = runPure(taskTypes, job.type, job.properties);
  return result.ok ? { outputs: result.outputs } : { error: result.error };
};

export interface DriverOptions {
  /** Flows a Subflow may start, by `namespace.flowId`. */
  readonly flows?: ReadonlyMap<string, FlowDefinition>;
  /** Called when an execution waits in PAUSED with nothing else to do; return a command or nothing. */
  readonly onPaused?: (execution: Execution) => ExecutionCommand | undefined;
  readonly maxSteps?: number;
  /** The task types the flows were parsed with (default: the domain's own). */
  readonly taskTypes?: TaskCatalog;
}

export interface DrivenExecution {
  readonly execution: Execution;
  readonly events: readonly ExecutionEvent[];
  readonly children: readonly DrivenExecution[];
}

const START = Date.parse('2025-01-01T00:00:00.000Z');

/** Drives one execution (and its children) from ExecutionCreated to the end, or until nothing can happen. */
export const driveExecution = (createdEvent: ExecutionCreated, flow: FlowDefinition, options: DriverOptions = {}): DrivenExecution => {
  let clock = Date.parse(createdEvent.data.at);
  const now = () => new Date(clock).toISOString();
  const events: ExecutionEvent[] = [createdEvent];
  const children: DrivenExecution[] = [];
  let state: ExecutionState = evolve(undefined, createdEvent);
  const id = createdEvent.data.executionId;
  const work: ExecutionCommand[] = [{ type: 'AdvanceExecution', executionId: id, now: now() }];
  const timers = new Map<string, number>();
  const taskTypes = options.taskTypes ?? CORE_TASK_CATALOG;

  const apply = (command: ExecutionCommand): void => {
    const decided = decide(command, state, { flow, taskTypes });
    for (const event of decided) {
      state = evolve(state, event);
      events.push(event);
      react(event);
    }
  };

  const react = (event: ExecutionEvent): void => {
    const job = event.type === 'TaskRunCreated' || event.type === 'TaskRunAttemptCreated' ? event.data.job : undefined;
    if (job !== undefined) {
      const result = pureWorker(taskTypes, job);
      const base = { executionId: id, taskRunId: job.taskRunId, attempt: job.attempt };
      clock += 1;
      work.push({ type: 'StartTaskRun', ...base, workerId: 'fake', now: now() });
      work.push('error' in result ? { type: 'FailTaskRun', ...base, error: result.error, now: now() } : { type: 'CompleteTaskRun', ...base, outputs: result.outputs, now: now() });
    }
    if (event.type === 'TimerScheduled') timers.set(event.data.timerId, Date.parse(event.data.fireAt));
    if (event.type === 'TimerCancelled') timers.delete(event.data.timerId);
    if (event.type === 'ChildExecutionRequested') work.push(runChild(event.data));
  };

  const runChild = (request: Extract<ExecutionEvent, { type: 'ChildExecutionRequested' }>['data']): ExecutionCommand => {
    const childFlow = options.flows?.get(`${request.namespace}.${request.flowId}`);
    if (childFlow === undefined) throw new Error(`no flow ${request.namespace}.${request.flowId} for a Subflow`);
    const childCreated = decide(
      { type: 'CreateExecution', executionId: request.childExecutionId, flow: childFlow, inputs: request.inputs, labels: request.labels, trigger: request.trigger, parent: { executionId: id, taskRunId: request.taskRunId }, now: now() },
      undefined,
    )[0] as ExecutionCreated;
    const child = driveExecution(childCreated, childFlow, options);
    children.push(child);
    return {
      type: 'ChildExecutionEnded',
      executionId: id,
      childExecutionId: request.childExecutionId,
      taskRunId: request.taskRunId,
      state: child.execution.state,
      ...(child.execution.outputs !== undefined ? { outputs: child.execution.outputs } : {}),
      taskOutputs: outputsTree(child.execution),
      now: now(),
    };
  };

  for (let step = 0; step < (options.maxSteps ?? 20_000); step++) {
    const execution = state as Execution;
    if (isTerminal(execution.state) && work.length === 0) break;
    const next = work.shift();
    if (next !== undefined) {
      apply(next);
      continue;
    }
    const due = [...timers.entries()].sort((a, b) => a[1] - b[1])[0];
    if (due !== undefined) {
      timers.delete(due[0]);
      clock = Math.max(clock + 1, due[1]);
      apply({ type: 'FireTimer', executionId: id, timerId: due[0], now: now() });
      continue;
    }
    const resume = execution.state === 'PAUSED' ? options.onPaused?.(execution) : undefined;
    if (resume === undefined) break;
    apply(resume);
  }
  return { execution: state as Execution, events, children };
};

export const CORPUS_START = new Date(START).toISOString();
