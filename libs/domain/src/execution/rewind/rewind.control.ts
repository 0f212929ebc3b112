import { REWINDABLE_STATES } from '../control-acceptance.js';
import type { Decision } from '../decision.js';
import type { Execution, PendingTimer, Savepoint, TaskRun } from '../execution.state.js';
import { addMs, parseIsoDuration } from '../iso-duration.js';
import { isTerminal } from '../state.js';
import { hasAttempts, taskOf } from '../task-tree.js';
import type { RewindExecution } from './rewind.commands.js';
import { SavepointNotFoundError } from './rewind.errors.js';
import { sameAttempts } from './rewind.evolver.js';
import { findSavepoint } from './savepoints.js';
import { maxDurationSlaOf } from '../sla.control.js';

/**
 * RewindExecution: the execution goes back, in place, to one of its savepoints and runs on from
 * there (the progress step that follows re-creates the task the savepoint is "before"). Decided:
 * the abandoned branch's attempts still out are told to stop (their late reports are stale
 * anyway), its timers are cancelled, then ExecutionRewound, then the savepoint's timers that
 * fired since are armed again. A redelivered rewind (same `rewindId`) or a state that cannot be
 * rewound decides nothing; a point the execution does not offer is refused, naming the field.
 */
export const rewind = (d: Decision, command: RewindExecution): boolean => {
  const execution = d.execution;
  if ((execution.rewinds ?? []).some((r) => r.rewindId === command.rewindId)) return false;
  if (!REWINDABLE_STATES.includes(execution.state)) return false;
  const savepoint = savepointFor(execution, command);
  const snapshot = savepoint.snapshot!;
  const why = `rewound to revision ${savepoint.revision}${savepoint.taskId !== undefined ? ` (before task ${savepoint.taskId})` : ''}: the branch that started it was abandoned`;
  stopAbandonedAttempts(d, snapshot.taskRuns, why);
  killAbandonedChildren(d, snapshot.taskRuns, why);
  const kept = new Set(snapshot.timers.map((t) => t.timerId));
  for (const timer of execution.timers) {
    if (!kept.has(timer.timerId)) d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
  }
  const pending = new Set(execution.timers.map((t) => t.timerId));
  const rewinds = (execution.rewinds ?? []).length + 1;
  d.emit({
    type: 'ExecutionRewound',
    data: {
      rewindId: command.rewindId,
      toRevision: savepoint.revision,
      taskId: savepoint.taskId,
      taskRunId: savepoint.taskRunId,
      restored: snapshot,
      ...(command.reason !== undefined ? { reason: command.reason } : {}),
      ...(command.by !== undefined ? { by: command.by } : {}),
      at: d.now,
    },
  });
  for (const timer of snapshot.timers.filter((t) => !pending.has(t.timerId))) rearm(d, timer, rewinds);
  return true;
};

const savepointFor = (execution: Execution, command: RewindExecution): Savepoint => {
  const found = findSavepoint(execution, command);
  if ('problem' in found) throw new SavepointNotFoundError(found.field, found.problem);
  if (found.snapshot === undefined) throw new SavepointNotFoundError('toRevision', `savepoint ${found.revision} of execution ${execution.id} was listed without its snapshot (a read model's copy cannot be rewound)`);
  return found;
};

/** Every attempt still out that the savepoint does not hold where it is now: its worker or child is stopped. */
const stopAbandonedAttempts = (d: Decision, restored: readonly TaskRun[], reason: string): void => {
  const restoredById = new Map(restored.map((t) => [t.id, t]));
  for (const run of d.execution.taskRuns) {
    const last = run.attempts.at(-1);
    const open = last !== undefined && !isTerminal(last.state);
    // A CREATED run's first attempt went out with it (its job), before any attempt is recorded.
    const queued = run.state === 'CREATED' && !open && isAttemptTask(d, run);
    if (isTerminal(run.state) || (!open && !queued)) continue;
    const before = restoredById.get(run.id);
    if (before !== undefined && sameAttempts(before, run)) continue;
    const attempt = open ? last.number : run.attempts.length + 1;
    const child = open && run.childExecutionId !== undefined ? { childExecutionId: run.childExecutionId, reason } : {};
    d.emit({ type: 'TaskRunKillRequested', data: { taskRunId: run.id, attempt, ...child, at: d.now } });
  }
};

/**
 * Children the abandoned branch started without waiting for them (a Subflow with `wait: false`
 * succeeds at once, its child runs on): the savepoint had not started them, so they are killed,
 * the reason naming the rewind (a child that ended already decides nothing). Children a task
 * still waits for are stopped with its attempt (stopAbandonedAttempts).
 */
const killAbandonedChildren = (d: Decision, restored: readonly TaskRun[], reason: string): void => {
  const startedThen = new Set(restored.flatMap((t) => (t.childExecutionId !== undefined ? [t.childExecutionId] : [])));
  for (const run of d.execution.taskRuns) {
    if (run.childExecutionId === undefined || startedThen.has(run.childExecutionId) || !isTerminal(run.state)) continue;
    if (taskOf(d.flow, run.taskId)?.properties.wait !== false) continue;
    d.emit({ type: 'TaskRunKillRequested', data: { taskRunId: run.id, attempt: Math.max(1, run.attempts.length), childExecutionId: run.childExecutionId, reason, at: d.now } });
  }
};

/**
 * A timer the savepoint waited for, fired or cancelled in the abandoned branch, is armed again
 * under a new id. The execution's own timeout (`maxRuntime`, else the flow's `timeout`) counts
 * again from now, as after a restart; so does a MAX_DURATION SLA's (its check knows the new id,
 * see maxDurationSlaDue): a rewound run gets its whole budget again, not one already spent.
 */
const rearm = (d: Decision, timer: PendingTimer, rewinds: number): void => {
  d.emit({
    type: 'TimerScheduled',
    data: {
      timerId: `${timer.timerId}:rewind-${rewinds}`,
      fireAt: budgetFromNow(d, timer) ?? timer.fireAt,
      purpose: timer.purpose,
      ...(timer.taskRunId !== undefined ? { taskRunId: timer.taskRunId } : {}),
      at: d.now,
    },
  });
};

/** The fire time of a re-armed execution timeout or SLA: its duration from now; undefined for other timers. */
const budgetFromNow = (d: Decision, timer: PendingTimer): string | undefined => {
  if (timer.purpose !== 'timeout' || timer.taskRunId !== undefined) return undefined;
  const sla = maxDurationSlaOf(d, timer.timerId);
  const limit = sla !== undefined ? sla.duration : d.execution.options?.maxRuntime ?? d.flow.timeout;
  const ms = limit === undefined ? undefined : parseIsoDuration(limit);
  return ms === undefined ? undefined : addMs(d.now, ms);
};

const isAttemptTask = (d: Decision, run: TaskRun): boolean => {
  const task = taskOf(d.flow, run.taskId);
  return task !== undefined && hasAttempts(d.taskTypes, task);
};
