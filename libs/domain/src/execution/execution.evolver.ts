import type { State } from './state.js';
import type { Attempt, Execution, ExecutionState, TaskRun } from './execution.state.js';
import type { ExecutionCreated, ExecutionEvent } from './execution.events.js';
import { UnexpectedEventError } from './execution.errors.js';
import { assertTransition } from './transitions.js';

/** No events yet: the execution does not exist. */
export const initialState = (): ExecutionState => undefined;

/**
 * Folds one event into the state. Pure and copy-on-write: the given state is never touched.
 * Dates come from the event (`data.at`), and every state change is checked by the transition
 * table, so a stream that breaks it fails loudly instead of producing an impossible execution.
 */
export const evolve = (state: ExecutionState, event: ExecutionEvent): ExecutionState => {
  if (event.type === 'ExecutionCreated') return created(state, event);
  if (state === undefined) throw new UnexpectedEventError(event.type, 'the execution has not been created');
  return { ...apply(state, event), revision: state.revision + 1 };
};

const apply = (execution: Execution, event: Exclude<ExecutionEvent, ExecutionCreated>): Execution => {
  switch (event.type) {
    case 'ExecutionStarted':
      return changeState(execution, 'RUNNING', event.data.at);
    case 'TaskRunCreated': {
      const { taskRunId, taskId, parentTaskRunId, value, at } = event.data;
      if (execution.taskRuns.some((t) => t.id === taskRunId)) {
        throw new UnexpectedEventError(event.type, `task run ${taskRunId} already exists`);
      }
      const taskRun: TaskRun = {
        id: taskRunId,
        taskId,
        ...(parentTaskRunId !== undefined ? { parentTaskRunId } : {}),
        ...(value !== undefined ? { value } : {}),
        state: 'CREATED',
        stateHistory: [{ state: 'CREATED', date: at }],
        attempts: [],
        startDate: at,
      };
      return { ...execution, taskRuns: [...execution.taskRuns, taskRun] };
    }
    case 'TaskRunStarted': {
      const { taskRunId, attempt, at } = event.data;
      return updateTaskRun(execution, taskRunId, event.type, (taskRun) => {
        if (attempt !== taskRun.attempts.length + 1) {
          throw new UnexpectedEventError(event.type, `task run ${taskRunId} expects attempt ${taskRun.attempts.length + 1}, not ${attempt}`);
        }
        const started: Attempt = { number: attempt, state: assertTransition(`attempt ${attempt} of task run ${taskRunId}`, 'CREATED', 'RUNNING'), startDate: at };
        return { ...changeTaskRunState(taskRun, 'RUNNING', at), attempts: [...taskRun.attempts, started] };
      });
    }
    case 'TaskRunSucceeded': {
      const { taskRunId, attempt, outputs, at } = event.data;
      return updateTaskRun(execution, taskRunId, event.type, (taskRun) => ({
        ...changeTaskRunState(taskRun, 'SUCCESS', at),
        attempts: endAttempt(taskRun, attempt, 'SUCCESS', at, event.type),
        outputs,
        endDate: at,
      }));
    }
    case 'TaskRunFailed': {
      const { taskRunId, attempt, error, at } = event.data;
      return updateTaskRun(execution, taskRunId, event.type, (taskRun) => ({
        ...changeTaskRunState(taskRun, 'FAILED', at),
        attempts: endAttempt(taskRun, attempt, 'FAILED', at, event.type, error),
        endDate: at,
        error,
      }));
    }
    case 'ExecutionSucceeded': {
      const { outputs, at } = event.data;
      return { ...changeState(execution, 'SUCCESS', at), ...(outputs !== undefined ? { outputs } : {}), endDate: at };
    }
    case 'ExecutionFailed':
      return { ...changeState(execution, 'FAILED', event.data.at), endDate: event.data.at, error: event.data.error };
    default: {
      const exhaustive: never = event;
      throw new UnexpectedEventError((exhaustive as ExecutionEvent).type, 'unknown event type');
    }
  }
};

const created = (state: ExecutionState, event: ExecutionCreated): Execution => {
  if (state !== undefined) throw new UnexpectedEventError(event.type, `execution ${state.id} already exists`);
  const { executionId, namespace, flowId, flowRevision, inputs, labels, trigger, originalId, parentId, at } = event.data;
  return {
    id: executionId,
    namespace,
    flowId,
    flowRevision,
    state: 'CREATED',
    stateHistory: [{ state: 'CREATED', date: at }],
    inputs,
    labels,
    ...(trigger !== undefined ? { trigger } : {}),
    originalId,
    ...(parentId !== undefined ? { parentId } : {}),
    taskRuns: [],
    startDate: at,
    revision: 0,
  };
};

const changeState = (execution: Execution, to: State, at: string): Execution => ({
  ...execution,
  state: assertTransition(`execution ${execution.id}`, execution.state, to),
  stateHistory: [...execution.stateHistory, { state: to, date: at }],
});

const changeTaskRunState = (taskRun: TaskRun, to: State, at: string): TaskRun => ({
  ...taskRun,
  state: assertTransition(`task run ${taskRun.id}`, taskRun.state, to),
  stateHistory: [...taskRun.stateHistory, { state: to, date: at }],
});

const updateTaskRun = (execution: Execution, taskRunId: string, eventType: string, update: (taskRun: TaskRun) => TaskRun): Execution => {
  const index = execution.taskRuns.findIndex((t) => t.id === taskRunId);
  if (index === -1) throw new UnexpectedEventError(eventType, `execution ${execution.id} has no task run ${taskRunId}`);
  return { ...execution, taskRuns: execution.taskRuns.map((t, i) => (i === index ? update(t) : t)) };
};

/**
 * Ends the running attempt, or records an attempt that ended without starting (a task whose
 * properties could not be rendered fails as attempt 1 straight from CREATED).
 */
const endAttempt = (taskRun: TaskRun, number: number, to: State, at: string, eventType: string, error?: string): readonly Attempt[] => {
  const subject = `attempt ${number} of task run ${taskRun.id}`;
  const last = taskRun.attempts[taskRun.attempts.length - 1];
  const withError = error !== undefined ? { error } : {};
  if (last !== undefined && last.number === number) {
    const ended: Attempt = { ...last, state: assertTransition(subject, last.state, to), endDate: at, ...withError };
    return [...taskRun.attempts.slice(0, -1), ended];
  }
  if (number === taskRun.attempts.length + 1) {
    return [...taskRun.attempts, { number, state: assertTransition(subject, 'CREATED', to), endDate: at, ...withError }];
  }
  throw new UnexpectedEventError(eventType, `task run ${taskRun.id} has no attempt ${number}`);
};
