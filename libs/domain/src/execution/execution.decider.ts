import type { FlowDefinition } from '../flow/flow.model.js';
import type { InstallationVariables } from '../expression/installation-variables.js';
import type { ExecutionCommand } from './execution.commands.js';
import { Decision } from './decision.js';
import { ExecutionNotFoundError, FlowRequiredError } from './execution.errors.js';
import type { ExecutionEvent } from './execution.events.js';
import { evolve, initialState } from './execution.evolver.js';
import { progress } from './execution.progress.js';
import type { Execution, ExecutionState } from './execution.state.js';
import { kill } from './kill.control.js';
import { advance, created, restoreReplayed, scheduledStart } from './lifecycle.control.js';
import { update } from './update.control.js';
import { notifyWatchers, resolveWatchTarget, watch, watchedEnded } from './watch.control.js';
import { pause, resume } from './pause.control.js';
import { beginRestartedLeaves, continueRestart, restart } from './restart.control.js';
import { resumeAnswered } from './execution-update.start.js';
import { childEnded } from './subflow.end.js';
import { forEachItemChildEnded } from './for-each-item.items.js';
import { fireTimer } from './timer.control.js';
import { completeAttempt, expireLease, failAttempt, startAttemptByWorker } from './worker.results.js';
import { LOCAL_WORKER_ID, runLocalJob } from '../task-types/local-tasks.js';
import type { TaskJob } from './task-job.js';
import type { TaskCatalog } from '../task-types/task-catalog.js';

import { executionAssertionViolated } from './sla.control.js';
import { grantLocks, releaseEndedClaims, revokeLock } from './locks/named-locks.control.js';
import { pendingBreakpoint, resolveBreakpoint } from './breakpoints/breakpoint.control.js';
import { beginGranted, openGates } from './task-gates.js';
import { startFlowable } from './task-run.start.js';
import { rewind } from './rewind/rewind.control.js';

export { evolve, initialState } from './execution.evolver.js';

/**
 * What the decider needs besides the state: the flow revision the execution runs, with the task
 * catalog it was parsed with (what each of its task types is: runnable or flowable, I/O flags,
 * local run). The two go together: a context with a flow and no catalog does not compile.
 */
export type ExecutionDecisionContext = {
  /** Run local tasks (OutputValues, Return, Log) inside the decision (default true; see local-tasks.ts). */
  readonly localTasks?: boolean;
  /** The installation's `envs` and `globals` (its configuration); absent, expressions have neither. */
  readonly installation?: InstallationVariables;
} & (
  | { readonly flow?: undefined; readonly taskTypes?: TaskCatalog }
  | { readonly flow: FlowDefinition; readonly taskTypes: TaskCatalog }
);

/**
 * Decides what a command means for an execution, as events; never performs anything. Every
 * command is idempotent: a duplicate or stale command (the bus redelivers) decides nothing.
 * Each step folds what it decides at once (see Decision), so an event that would break the
 * transition table is a bug caught here, not a stream written wrong. After any change the
 * progress step takes the execution as far as it can go.
 */
export const decide = (command: ExecutionCommand, state: ExecutionState, context: ExecutionDecisionContext = {}): ExecutionEvent[] =>
  decideAndFold(command, state, context).events;

/**
 * `decide`, plus the state its events lead to. The decision folds each event as it emits it, so
 * a caller that keeps the state (the executor's cache) need not fold them all a second time.
 */
export const decideAndFold = (
  command: ExecutionCommand,
  state: ExecutionState,
  context: ExecutionDecisionContext = {},
): { readonly events: ExecutionEvent[]; readonly state: ExecutionState } => {
  if (command.type === 'CreateExecution') {
    if (state !== undefined) return { events: [], state };
    const event = created(command);
    const start = scheduledStart(event);
    const events: ExecutionEvent[] = start === undefined ? [event] : [event, start];
    return { events, state: events.reduce<ExecutionState>(evolve, undefined) };
  }
  if (state === undefined) throw new ExecutionNotFoundError(command.executionId);
  if (command.type === 'ReportTaskRunAlive') return { events: [], state };
  const flow = flowOf(state, context);
  const d = new Decision(state, flow.flow, flow.taskTypes, command.now, context.localTasks ?? true, context.installation);
  // Kestra evaluates the flow's EXECUTION_ASSERTION SLAs on every change, before acting on it.
  if (d.flow.sla !== undefined && executionAssertionViolated(d)) {
    notifyWatchers(d);
    releaseEndedClaims(d);
    return { events: d.events, state: d.execution };
  }
  if (decideFor(command, d)) progress(d);
  runLocalTasks(d);
  notifyWatchers(d);
  releaseEndedClaims(d);
  return { events: d.events, state: d.execution };
};

/** Applies the command's own decision; true when the execution may have moved (progress follows). */
const decideFor = (command: Exclude<ExecutionCommand, { type: 'CreateExecution' | 'ReportTaskRunAlive' }>, d: Decision): boolean => {
  switch (command.type) {
    case 'AdvanceExecution': {
      const wasCreated = d.execution.state !== 'RUNNING';
      const moved = advance(d, command);
      if (moved && wasCreated) restoreReplayed(d, d.execution.replayOf?.taskRuns ?? []);
      return moved;
    }
    case 'StartTaskRun':
      startAttemptByWorker(d, command);
      return false;
    case 'CompleteTaskRun':
      return completeAttempt(d, command);
    case 'FailTaskRun':
      return failAttempt(d, command);
    case 'KillExecution':
      kill(d, command.reason ?? 'killed on request');
      return false;
    case 'PauseExecution':
      pause(d);
      return false;
    case 'ResumeExecution':
      resume(d, command);
      // A plain resume at a breakpoint is its CONTINUE; lock grants that came while paused begin now.
      if (pendingBreakpoint(d.execution) !== undefined) resolveBreakpoint(d, { action: 'CONTINUE' }, openGate);
      beginGranted(d, startFlowable);
      return true;
    case 'ResumeAnswered':
      return resumeAnswered(d, command);
    case 'RestartExecution':
      return restart(d);
    case 'FireTimer':
      return fireTimer(d, command);
    case 'ChildExecutionEnded':
      return childEnded(d, command) || forEachItemChildEnded(d, command);
    case 'ExpireTaskRunLease':
      return expireLease(d, command);
    case 'UpdateExecution':
      update(d, command);
      return false;
    case 'WatchExecution':
      watch(d, command);
      return false;
    case 'WatchedExecutionEnded':
      return watchedEnded(d, command);
    case 'ResolveWatchTarget':
      // A failed lookup fails the task: progress follows.
      resolveWatchTarget(d, command);
      return true;
    case 'GrantLocks':
      // The execution's own claim starts it, or continues its restart; a task run's begins it (or its re-run).
      return grantLocks(
        d, command,
        (decision) => (decision.execution.state === 'RESTARTED' ? continueRestart(decision) : advance(decision, {})),
        (decision) => (beginGranted(decision, startFlowable), beginRestartedLeaves(decision)),
      );
    case 'RevokeLock':
      revokeLock(d, command);
      return false;
    case 'ResolveBreakpoint':
      return resolveBreakpoint(d, command, openGate);
    case 'RewindExecution':
      return rewind(d, command);
    default: {
      const exhaustive: never = command;
      throw new Error(`unknown command ${(exhaustive as ExecutionCommand).type}`);
    }
  }
};

/** Begins a task run whose gates may be open (after a breakpoint was answered). */
const openGate = (d: Decision, taskRunId: string, task: Parameters<typeof startFlowable>[2]): void => openGates(d, taskRunId, task, startFlowable);

/**
 * Runs the local jobs this decision dispatched, as a worker would (started, then completed or
 * failed), in rounds: every local job dispatched so far runs, then the execution progresses
 * once, which may dispatch more (local ones run in the next round), until none is left. One
 * progress step per round, not per job: a 1000-way ForEach of local tasks is two rounds, where
 * a step per job made the decision quadratic in the number of task runs.
 */
const runLocalTasks = (d: Decision): void => {
  let next = 0;
  while (next < d.events.length) {
    const roundEnd = d.events.length;
    let moved = false;
    for (; next < roundEnd; next++) {
      const event = d.events[next]!;
      if (event.type !== 'TaskRunCreated' && event.type !== 'TaskRunAttemptCreated') continue;
      const job = (event.data as { job?: TaskJob }).job;
      if (job?.local !== true) continue;
      const report = { executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt, now: d.now };
      if (!startAttemptByWorker(d, { type: 'StartTaskRun', ...report, workerId: LOCAL_WORKER_ID })) continue;
      const result = runLocalJob(d.taskTypes, job);
      const accepted = result.ok
        ? completeAttempt(d, { type: 'CompleteTaskRun', ...report, outputs: result.outputs })
        : failAttempt(d, { type: 'FailTaskRun', ...report, error: result.error });
      moved ||= accepted;
    }
    if (moved) progress(d);
  }
};

/** The flow revision this execution runs; deciding what comes next is impossible without it. */
const flowOf = (execution: Execution, context: ExecutionDecisionContext): { readonly flow: FlowDefinition; readonly taskTypes: TaskCatalog } => {
  const expected = `${execution.namespace}.${execution.flowId} revision ${execution.flowRevision}`;
  if (context.flow === undefined) throw new FlowRequiredError(execution.id, expected);
  const { flow, taskTypes } = context;
  if (flow.namespace !== execution.namespace || flow.id !== execution.flowId || flow.revision !== execution.flowRevision) {
    throw new FlowRequiredError(execution.id, expected, `${flow.namespace}.${flow.id} revision ${flow.revision}`);
  }
  return { flow, taskTypes };
};

/** The decider as one value, emmett-style, for helpers that take any decider. */
export const executionDecider = { decide, evolve, initialState } as const;
