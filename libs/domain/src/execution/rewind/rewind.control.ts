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
  stopAbandonedAttempts(d, snapshot.taskRuns);
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
const stopAbandonedAttempts = (d: Decision, restored: readonly TaskRun[]): void => {
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
    d.emit({ type: 'TaskRunKillRequested', data: { taskRunId: run.id, attempt, ...(open && run.childExecutionId !== undefined ? { childExecutionId: run.childExecutionId } : {}), at: d.now } });
  }
};

/**
 * A timer the savepoint waited for, fired or cancelled in the abandoned branch, is armed again
 * under a new id. The execution's own timeout counts again from now (as after a restart); an
 * SLA's timer is not re-armed (its check is bound to its id).
 */
const rearm = (d: Decision, timer: PendingTimer, rewinds: number): void => {
  if (/:sla-\d+$/.test(timer.timerId)) return;
  const limit = d.execution.options?.maxRuntime ?? d.flow.timeout;
  const ms = limit === undefined ? undefined : parseIsoDuration(limit);
  const ownTimeout = timer.purpose === 'timeout' && timer.taskRunId === undefined && ms !== undefined;
  d.emit({
    type: 'TimerScheduled',
    data: {
      timerId: `${timer.timerId}:rewind-${rewinds}`,
      fireAt: ownTimeout ? addMs(d.now, ms) : timer.fireAt,
      purpose: timer.purpose,
      ...(timer.taskRunId !== undefined ? { taskRunId: timer.taskRunId } : {}),
      at: d.now,
    },
  });
};

const isAttemptTask = (d: Decision, run: TaskRun): boolean => {
  const task = taskOf(d.flow, run.taskId);
  return task !== undefined && hasAttempts(task);
};
