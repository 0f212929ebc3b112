import type { JsonObject } from '../shared/json.js';
import { UnexpectedEventError } from './execution.errors.js';
import type {
  TaskRunAttemptCreated, TaskRunCreated, TaskRunFailed, TaskRunStarted, TaskRunStateChanged, TaskRunSucceeded,
} from './execution.events.js';
import type { Attempt, Execution, TaskRun } from './execution.state.js';
import { isTerminal, type State } from './state.js';
import { assertTransition } from './transitions.js';
import { runPosition, shareRunIndex, taskRunById } from './task-tree.js';
import type { TaskMetric } from './task-metric.js';

/** Folds the task-run events. Every state change, of task runs and attempts alike, goes through the table. */
export const createTaskRun = (execution: Execution, event: TaskRunCreated): Execution => {
  const { taskRunId, taskId, parentTaskRunId, value, iteration, at } = event.data;
  if (taskRunById(execution, taskRunId) !== undefined) {
    throw new UnexpectedEventError(event.type, `task run ${taskRunId} already exists`);
  }
  const taskRun: TaskRun = {
    id: taskRunId,
    taskId,
    ...(parentTaskRunId !== undefined ? { parentTaskRunId } : {}),
    ...(value !== undefined ? { value } : {}),
    ...(iteration !== undefined ? { iteration } : {}),
    state: 'CREATED',
    stateHistory: [{ state: 'CREATED', date: at }],
    // Created again after a rewind: its abandoned attempts come first (its next one has a new number).
    attempts: execution.abandonedAttempts?.[taskRunId] ?? [],
    startDate: at,
  };
  const taskRuns = [...execution.taskRuns, taskRun];
  shareRunIndex(execution.taskRuns, taskRuns);
  return { ...execution, taskRuns };
};

/** Attempt `n` starts: the one TaskRunAttemptCreated queued, or a new one for a task run still CREATED. */
export const startAttempt = (taskRun: TaskRun, event: TaskRunStarted): TaskRun => {
  const { attempt, at } = event.data;
  const last = taskRun.attempts[taskRun.attempts.length - 1];
  const subject = `attempt ${attempt} of task run ${taskRun.id}`;
  if (last !== undefined && last.number === attempt && last.state === 'CREATED') {
    const started: Attempt = { ...last, state: assertTransition(subject, last.state, 'RUNNING'), startDate: at };
    const running = taskRun.state === 'RUNNING' ? taskRun : changeTaskRunState(taskRun, 'RUNNING', at);
    return { ...running, attempts: [...taskRun.attempts.slice(0, -1), started] };
  }
  if (attempt !== taskRun.attempts.length + 1) {
    throw new UnexpectedEventError(event.type, `task run ${taskRun.id} expects attempt ${taskRun.attempts.length + 1}, not ${attempt}`);
  }
  const started: Attempt = { number: attempt, state: assertTransition(subject, 'CREATED', 'RUNNING'), startDate: at };
  return { ...changeTaskRunState(taskRun, 'RUNNING', at), attempts: [...taskRun.attempts, started] };
};

export const succeedAttempt = (taskRun: TaskRun, event: TaskRunSucceeded): TaskRun => {
  const { attempt, outputs, taskRunState = 'SUCCESS', metrics, logFile, workingFiles, at } = event.data;
  // changeTaskRunState made a copy seen by nothing yet: completed in place rather than copied
  // again (the keys land where a spread would put them: attempts and endDate kept, outputs added).
  const ended = changeTaskRunState(taskRun, taskRunState, at) as Mutable<TaskRun>;
  ended.attempts = endAttempt(taskRun, attempt, 'SUCCESS', at, event.type, undefined, metrics, logFile, workingFiles);
  ended.outputs = outputs;
  ended.endDate = at;
  return ended;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const failAttempt = (taskRun: TaskRun, event: TaskRunFailed): TaskRun => {
  const { attempt, error, taskRunState = 'FAILED', outputs, metrics, logFile, at } = event.data;
  const ended = {
    ...changeTaskRunState(taskRun, taskRunState, at),
    attempts: endAttempt(taskRun, attempt, 'FAILED', at, event.type, error, metrics, logFile),
    error,
    ...(outputs !== undefined ? { outputs } : {}),
  };
  return isTerminal(taskRunState) ? { ...ended, endDate: at } : ended;
};

/** A retry or restart: the task run runs again and its next attempt waits for a worker. */
export const createAttempt = (taskRun: TaskRun, event: TaskRunAttemptCreated): TaskRun => {
  const { attempt, at } = event.data;
  if (attempt !== taskRun.attempts.length + 1) {
    throw new UnexpectedEventError(event.type, `task run ${taskRun.id} expects attempt ${taskRun.attempts.length + 1}, not ${attempt}`);
  }
  const { endDate: _ended, error: _error, causeTaskRunId: _cause, ...open } = changeTaskRunState(taskRun, 'RUNNING', at);
  return { ...open, attempts: [...taskRun.attempts, { number: attempt, state: 'CREATED' }] };
};

/**
 * A generic state change. A terminal state ends the open attempt too (a killed or timed-out
 * attempt ends KILLED / FAILED); leaving a terminal state (restart) reopens the task run.
 */
export const changeTaskRun = (taskRun: TaskRun, event: TaskRunStateChanged): TaskRun => {
  const { state, error, causeTaskRunId, outputs, iterations, at } = event.data;
  const changed = changeTaskRunState(taskRun, state, at);
  const withData: TaskRun = {
    ...changed,
    ...(iterations !== undefined ? { iterations } : {}),
    ...(outputs !== undefined ? { outputs: outputs as JsonObject } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(causeTaskRunId !== undefined ? { causeTaskRunId } : {}),
  };
  if (!isTerminal(state)) {
    if (!isTerminal(taskRun.state)) return withData;
    const { endDate: _ended, error: _error, causeTaskRunId: _cause, ...reopened } = withData;
    return error !== undefined ? { ...reopened, error } : reopened;
  }
  const last = taskRun.attempts[taskRun.attempts.length - 1];
  const closes = last !== undefined && !isTerminal(last.state) && (state === 'KILLED' || state === 'FAILED');
  const attempts = closes
    ? [...taskRun.attempts.slice(0, -1), {
        ...last,
        state: assertTransition(`attempt ${last.number} of task run ${taskRun.id}`, last.state, state),
        endDate: at,
        ...(error !== undefined ? { error } : {}),
      }]
    : taskRun.attempts;
  return { ...withData, attempts, endDate: at };
};

export const changeTaskRunState = (taskRun: TaskRun, to: State, at: string): TaskRun => ({
  ...taskRun,
  state: assertTransition(`task run ${taskRun.id}`, taskRun.state, to),
  stateHistory: [...taskRun.stateHistory, { state: to, date: at }],
});

export const updateTaskRun = (execution: Execution, taskRunId: string, eventType: string, update: (taskRun: TaskRun) => TaskRun): Execution => {
  const index = runPosition(execution.taskRuns, taskRunId);
  if (index === -1) throw new UnexpectedEventError(eventType, `execution ${execution.id} has no task run ${taskRunId}`);
  const taskRuns = execution.taskRuns.slice();
  taskRuns[index] = update(execution.taskRuns[index]!);
  shareRunIndex(execution.taskRuns, taskRuns);
  return { ...execution, taskRuns };
};

/**
 * Ends the running attempt, or records an attempt that ended without starting (older streams
 * failed a task whose properties could not be rendered as attempt 1 straight from CREATED).
 */
const endAttempt = (
  taskRun: TaskRun, number: number, to: State, at: string, eventType: string, error?: string, metrics?: readonly TaskMetric[], logFile?: string,
  workingFiles?: Readonly<Record<string, string>>,
): readonly Attempt[] => {
  const subject = `attempt ${number} of task run ${taskRun.id}`;
  const last = taskRun.attempts[taskRun.attempts.length - 1];
  if (last !== undefined && last.number === number) {
    const ended = withEnd({ ...last, state: assertTransition(subject, last.state, to), endDate: at }, error, metrics, logFile, workingFiles);
    return [...taskRun.attempts.slice(0, -1), ended];
  }
  if (number === taskRun.attempts.length + 1) {
    return [...taskRun.attempts, withEnd({ number, state: assertTransition(subject, 'CREATED', to), endDate: at }, error, metrics, logFile, workingFiles)];
  }
  throw new UnexpectedEventError(eventType, `task run ${taskRun.id} has no attempt ${number}`);
};

/** An ended attempt's optional parts, added to the copy just made for it (in the order a spread of each would add them). */
const withEnd = (
  attempt: Mutable<Attempt>, error?: string, metrics?: readonly TaskMetric[], logFile?: string, workingFiles?: Readonly<Record<string, string>>,
): Attempt => {
  if (error !== undefined) attempt.error = error;
  if (metrics !== undefined && metrics.length > 0) attempt.metrics = metrics;
  if (logFile !== undefined) attempt.logFile = logFile;
  if (workingFiles !== undefined) attempt.workingFiles = workingFiles;
  return attempt;
};
