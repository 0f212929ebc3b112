import { REWINDABLE_STATES } from '../control-acceptance.js';
import { UnexpectedEventError } from '../execution.errors.js';
import type { Attempt, Execution, SavepointSnapshot, TaskRun } from '../execution.state.js';
import { isTerminal } from '../state.js';
import { assertTransition } from '../transitions.js';
import type { ExecutionRewound } from './rewind.events.js';

export const ABANDONED_BY_REWIND = 'abandoned: the execution was rewound';

/**
 * Folds ExecutionRewound: the task runs, timers and variables go back to the savepoint the event
 * carries; labels, run options and watchers stay (they steer the execution, they are not its
 * history); the state history only grows. The execution runs again (from RUNNING, PAUSED or an
 * end: REWINDABLE_STATES, the rewind's own row of the transition table).
 *
 * Task runs of the abandoned branch are gone from the list, but their attempts are remembered
 * (`abandonedAttempts`): one created again under the same id starts at the next attempt number,
 * so a late report of an abandoned attempt is stale, and a Subflow's child gets a new id.
 */
export const rewound = (execution: Execution, event: ExecutionRewound): Execution => {
  if (!REWINDABLE_STATES.includes(execution.state)) {
    throw new UnexpectedEventError(event.type, `execution ${execution.id} is ${execution.state}: it can only be rewound from ${REWINDABLE_STATES.join(', ')}`);
  }
  const { rewindId, toRevision, taskId, taskRunId, reason, by, at } = event.data;
  // The decider wrote it from a savepoint of this execution's own state.
  const restored = event.data.restored as SavepointSnapshot;
  const kept = new Set(restored.taskRuns.map((t) => t.id));
  const abandonedAttempts: Record<string, readonly Attempt[]> = { ...execution.abandonedAttempts };
  for (const run of execution.taskRuns) {
    if (kept.has(run.id)) continue;
    // A CREATED run's job is out as its next attempt before any attempt is recorded.
    const queued = run.state === 'CREATED' ? [{ number: run.attempts.length + 1, state: 'CREATED' as const }] : [];
    const attempts = closeAttempts([...run.attempts, ...queued], at);
    if (attempts.length > (abandonedAttempts[run.id]?.length ?? 0)) abandonedAttempts[run.id] = attempts;
  }
  const current = new Map(execution.taskRuns.map((t) => [t.id, t]));
  const pending = new Set(execution.timers.map((t) => t.timerId));
  const { endDate: _end, error: _error, outputs: _outputs, killReason: _kill, variables: _variables, ...open } = execution;
  return {
    ...open,
    state: 'RUNNING',
    stateHistory: [...execution.stateHistory, { state: 'RUNNING', date: at }],
    taskRuns: restored.taskRuns.map((run) => resumeInFlight(run, current.get(run.id), at)),
    // Timers fired or cancelled since are re-armed by the decision, under new ids (a fired id never fires twice).
    timers: restored.timers.filter((t) => pending.has(t.timerId)),
    ...(restored.variables !== undefined ? { variables: restored.variables } : {}),
    savepoints: (execution.savepoints ?? []).filter((s) => s.revision <= toRevision),
    abandonedAttempts,
    rewinds: [...(execution.rewinds ?? []), { rewindId, revision: execution.revision + 1, toRevision, taskId, taskRunId, ...(reason !== undefined ? { reason } : {}), ...(by !== undefined ? { by } : {}), at }],
  };
};

/** Attempts as the abandoned branch left them; those still open end KILLED there. */
const closeAttempts = (attempts: readonly Attempt[], at: string): readonly Attempt[] =>
  attempts.map((a) => (isTerminal(a.state) ? a : { ...a, state: 'KILLED', endDate: at, error: ABANDONED_BY_REWIND }));

/** Whether the run's attempts are where the savepoint left them (its worker or child is still on it). */
export const sameAttempts = (restored: TaskRun, now: TaskRun | undefined): boolean => {
  if (now === undefined || now.state !== restored.state || now.attempts.length !== restored.attempts.length) return false;
  return now.attempts.at(-1)?.state === restored.attempts.at(-1)?.state;
};

const inFlight = (run: TaskRun): boolean => {
  const last = run.attempts.at(-1);
  return !isTerminal(run.state) && run.state !== 'RETRYING' && (last === undefined ? run.state === 'CREATED' : !isTerminal(last.state));
};

/**
 * A task run the savepoint holds in flight whose result came in the abandoned branch: that result
 * will not come again, so the run goes RETRYING with every attempt so far closed, and the progress
 * step dispatches a new attempt (a new number). One whose attempt is still out stays as it was.
 */
const resumeInFlight = (run: TaskRun, now: TaskRun | undefined, at: string): TaskRun => {
  if (!inFlight(run) || sameAttempts(run, now) || (run.attempts.length === 0 && !hasJob(now))) return run;
  const subject = `task run ${run.id}`;
  const running = run.state === 'CREATED' ? [{ state: assertTransition(subject, 'CREATED', 'RUNNING'), date: at }] : [];
  const from = run.state === 'CREATED' ? 'RUNNING' : run.state;
  return {
    ...run,
    state: assertTransition(subject, from, 'RETRYING'),
    stateHistory: [...run.stateHistory, ...running, { state: 'RETRYING', date: at }],
    attempts: closeAttempts(now?.attempts ?? run.attempts, at),
  };
};

/** A CREATED run without attempts is in flight only if it was ever given to a worker or child (it has attempts now). */
const hasJob = (now: TaskRun | undefined): boolean => now !== undefined && now.attempts.length > 0;

/** A report for a task run only the abandoned branch of a rewind had: stale, decides nothing. */
export const isAbandonedRun = (execution: Execution, taskRunId: string): boolean =>
  execution.abandonedAttempts?.[taskRunId] !== undefined && !execution.taskRuns.some((t) => t.id === taskRunId);
