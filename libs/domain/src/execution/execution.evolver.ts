import type { State } from './state.js';
import type { Execution, ExecutionState } from './execution.state.js';
import type { ExecutionCreated, ExecutionEvent } from './execution.events.js';
import { UnexpectedEventError } from './execution.errors.js';
import { isTerminal } from './state.js';
import {
  changeTaskRun, createAttempt, createTaskRun, failAttempt, startAttempt, succeedAttempt, updateTaskRun,
} from './task-run.evolver.js';
import { assertTransition } from './transitions.js';
import { evolveNamedLocks } from './locks/named-locks.evolver.js';
import { evolveBreakpoint } from './breakpoints/breakpoint.evolver.js';
import { takeSavepoint } from './rewind/savepoints.js';
import { rewound } from './rewind/rewind.evolver.js';

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
  const next = apply(state, event);
  if (next === state) return { ...state, revision: state.revision + 1 };
  // Every other result of `apply` is a copy it just made, seen by nothing yet: its revision is set
  // in place instead of copying the whole execution a second time for every event folded.
  (next as { revision: number }).revision = state.revision + 1;
  return next;
};

/** The execution after the event: `execution` itself when the event changes nothing, else a new copy (never one kept elsewhere). */
const apply = (execution: Execution, event: Exclude<ExecutionEvent, ExecutionCreated>): Execution => {
  switch (event.type) {
    case 'ExecutionStarted':
      return changeState(execution, 'RUNNING', event.data.at);
    case 'TaskRunCreated':
      return createTaskRun(takeSavepoint(execution, event), event);
    case 'TaskRunStarted':
      return updateTaskRun(execution, event.data.taskRunId, event.type, (t) => startAttempt(t, event));
    case 'TaskRunSucceeded':
      return updateTaskRun(execution, event.data.taskRunId, event.type, (t) => succeedAttempt(t, event));
    case 'TaskRunFailed':
      return updateTaskRun(execution, event.data.taskRunId, event.type, (t) => failAttempt(t, event));
    case 'TaskRunAttemptCreated':
      return updateTaskRun(execution, event.data.taskRunId, event.type, (t) => createAttempt(t, event));
    case 'TaskRunStateChanged':
      return updateTaskRun(execution, event.data.taskRunId, event.type, (t) => changeTaskRun(t, event));
    case 'ExecutionSucceeded': {
      const { outputs, at } = event.data;
      return { ...changeState(execution, 'SUCCESS', at), ...(outputs !== undefined ? { outputs } : {}) };
    }
    case 'ExecutionFailed':
      return { ...changeState(execution, 'FAILED', event.data.at), error: event.data.error };
    case 'ExecutionStateChanged': {
      const { state, reason, error, outputs, at } = event.data;
      return {
        ...changeState(execution, state, at),
        ...(outputs !== undefined ? { outputs } : {}),
        ...(error !== undefined ? { error } : {}),
        ...(reason !== undefined && (state === 'KILLING' || state === 'KILLED') ? { killReason: reason } : {}),
      };
    }
    case 'TimerScheduled': {
      const { timerId, fireAt, purpose, taskRunId } = event.data;
      const others = execution.timers.filter((t) => t.timerId !== timerId);
      return { ...execution, timers: [...others, { timerId, fireAt, purpose, ...(taskRunId !== undefined ? { taskRunId } : {}) }] };
    }
    case 'TimerCancelled':
    case 'TimerFired':
      return { ...execution, timers: execution.timers.filter((t) => t.timerId !== event.data.timerId) };
    case 'ChildExecutionRequested':
      return updateTaskRun(execution, event.data.taskRunId, event.type, (t) => ({ ...t, childExecutionId: event.data.childExecutionId }));
    case 'TaskRunKillRequested':
      return execution;
    case 'ExecutionRetryRequested':
      return { ...execution, retriedAs: event.data.newExecutionId };
    case 'ExecutionResumeRequested':
    case 'ExecutionResumeAnswered':
      return execution;
    case 'TaskRunProgressed': {
      const { outputs, ended, reopened } = event.data;
      return updateTaskRun(execution, event.data.taskRunId, event.type, (t) => {
        const kept = (t.endedChildren ?? []).filter((c) => !(reopened ?? []).includes(c.iteration));
        return {
          ...t,
          ...(outputs !== undefined ? { outputs } : {}),
          ...(ended !== undefined || reopened !== undefined ? { endedChildren: ended !== undefined ? [...kept, ended] : kept } : {}),
        };
      });
    }
    case 'ExecutionVariablesChanged':
      return { ...execution, variables: event.data.variables };
    case 'ExecutionLabelsChanged':
      return { ...execution, labels: event.data.labels };
    case 'ExecutionWatchRequested': {
      // The waiting task run shows what it waits for (its outputs become { executionId, state } when told).
      const target = event.data.targetExecutionId;
      if (target === undefined || execution.taskRuns.every((t) => t.id !== event.data.taskRunId)) return execution;
      return updateTaskRun(execution, event.data.taskRunId, event.type, (t) => ({ ...t, outputs: { executionId: target } }));
    }
    case 'ExecutionEndNotified': {
      const { watcher } = event.data;
      const watchers = (execution.watchers ?? []).filter((w) => w.executionId !== watcher.executionId || w.taskRunId !== watcher.taskRunId);
      return execution.watchers === undefined || watchers.length === execution.watchers.length ? execution : { ...execution, watchers };
    }
    case 'ExecutionWatched':
      return { ...execution, watchers: [...(execution.watchers ?? []), event.data.watcher] };
    case 'ExecutionUpdated': {
      const { message, priority, name, description } = event.data;
      const changed = { ...(message !== undefined ? { message } : {}), ...(priority !== undefined ? { priority } : {}), ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) };
      return { ...execution, options: { ...execution.options, ...changed } };
    }
    case 'LocksRequested':
    case 'LocksAcquired':
    case 'LocksReleased':
    case 'LockRevoked':
      return evolveNamedLocks(execution, event);
    case 'TaskRunBreakpointReached':
    case 'BreakpointResolved':
      return evolveBreakpoint(execution, event);
    case 'ExecutionRewound':
      return rewound(execution, event);
    default: {
      const exhaustive: never = event;
      throw new UnexpectedEventError((exhaustive as ExecutionEvent).type, 'unknown event type');
    }
  }
};

const created = (state: ExecutionState, event: ExecutionCreated): Execution => {
  if (state !== undefined) throw new UnexpectedEventError(event.type, `execution ${state.id} already exists`);
  const { executionId, namespace, flowId, flowRevision, inputs, labels, trigger, originalId, parentId, parent, at } = event.data;
  const { attemptNumber, concurrencyKey, replayOf, originalCreatedDate, options, draftFlow, locks, savepointRetention, wrapped } = event.data;
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
    ...(parent !== undefined ? { parent } : {}),
    attemptNumber: attemptNumber ?? 1,
    ...(originalCreatedDate !== undefined ? { originalCreatedDate } : {}),
    ...(concurrencyKey !== undefined ? { concurrencyKey } : {}),
    ...(replayOf !== undefined ? { replayOf } : {}),
    ...(options !== undefined ? { options } : {}),
    ...(draftFlow !== undefined ? { draftFlow } : {}),
    ...(locks !== undefined ? { locks } : {}),
    ...(savepointRetention !== undefined ? { savepointRetention } : {}),
    ...(wrapped !== undefined ? { wrapped } : {}),
    timers: [],
    taskRuns: [],
    startDate: at,
    revision: 0,
  };
};

/** Every execution state change; a terminal state sets `endDate`, leaving one (restart) clears it. */
const changeState = (execution: Execution, to: State, at: string): Execution => {
  const changed: Execution = {
    ...execution,
    state: assertTransition(`execution ${execution.id}`, execution.state, to),
    stateHistory: [...execution.stateHistory, { state: to, date: at }],
  };
  if (isTerminal(to)) return { ...changed, endDate: at };
  if (!isTerminal(execution.state)) return changed;
  const { endDate: _ended, error: _error, ...reopened } = changed;
  return reopened;
};
