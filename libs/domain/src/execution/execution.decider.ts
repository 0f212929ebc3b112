import type { FlowDefinition } from '../flow/flow.model.js';
import { resolveInputs } from '../flow/inputs.resolver.js';
import type {
  AdvanceExecution, CompleteTaskRun, CreateExecution, ExecutionCommand, FailTaskRun, StartTaskRun,
} from './execution.commands.js';
import { ExecutionNotFoundError, FlowRequiredError, TaskRunNotFoundError } from './execution.errors.js';
import type { ExecutionEvent, TaskRunStarted } from './execution.events.js';
import { evolve, initialState } from './execution.evolver.js';
import { nextEvents } from './execution.progress.js';
import type { Execution, ExecutionState, TaskRun } from './execution.state.js';
import { isTerminal } from './state.js';

export { evolve, initialState } from './execution.evolver.js';

/** What the decider needs besides the state: the flow revision the execution runs. */
export interface ExecutionDecisionContext {
  readonly flow?: FlowDefinition;
}

/**
 * Decides what a command means for an execution, as events; never performs anything. Every
 * command is idempotent: a duplicate or stale command (the bus redelivers) decides nothing.
 * The decision is folded once before it is returned, so an event that would break the
 * transition table is a bug caught here, not a stream written wrong.
 */
export const decide = (command: ExecutionCommand, state: ExecutionState, context: ExecutionDecisionContext = {}): ExecutionEvent[] => {
  const events = decideFor(command, state, context);
  events.reduce(evolve, state);
  return events;
};

const decideFor = (command: ExecutionCommand, state: ExecutionState, context: ExecutionDecisionContext): ExecutionEvent[] => {
  switch (command.type) {
    case 'CreateExecution':
      return createExecution(command, state);
    case 'AdvanceExecution':
      return advanceExecution(command, existing(state, command), context);
    case 'StartTaskRun':
      return startTaskRun(command, existing(state, command));
    case 'CompleteTaskRun':
      return completeTaskRun(command, existing(state, command), context);
    case 'FailTaskRun':
      return failTaskRun(command, existing(state, command));
    default: {
      const exhaustive: never = command;
      throw new Error(`unknown command ${(exhaustive as ExecutionCommand).type}`);
    }
  }
};

const createExecution = (command: CreateExecution, state: ExecutionState): ExecutionEvent[] => {
  if (state !== undefined) return [];
  const { executionId, flow, trigger, parentId, now } = command;
  return [
    {
      type: 'ExecutionCreated',
      data: {
        executionId,
        namespace: flow.namespace,
        flowId: flow.id,
        flowRevision: flow.revision,
        inputs: resolveInputs(flow, command.inputs),
        labels: { ...flow.labels, ...command.labels },
        ...(trigger !== undefined ? { trigger } : {}),
        originalId: command.originalId ?? executionId,
        ...(parentId !== undefined ? { parentId } : {}),
        at: now,
      },
    },
  ];
};

const advanceExecution = (command: AdvanceExecution, execution: Execution, context: ExecutionDecisionContext): ExecutionEvent[] => {
  if (execution.state !== 'CREATED') return [];
  const started: ExecutionEvent[] = [{ type: 'ExecutionStarted', data: { at: command.now } }];
  return [...started, ...nextEvents(fold(execution, started), flowOf(execution, context), command.now)];
};

const startTaskRun = (command: StartTaskRun, execution: Execution): ExecutionEvent[] => {
  if (isTerminal(execution.state)) return [];
  const taskRun = existingTaskRun(execution, command.taskRunId);
  if (execution.state !== 'RUNNING' || taskRun.state !== 'CREATED' || command.attempt !== nextAttempt(taskRun)) return [];
  return [started(command)];
};

const completeTaskRun = (command: CompleteTaskRun, execution: Execution, context: ExecutionDecisionContext): ExecutionEvent[] => {
  const prefix = attemptInProgress(command, execution);
  if (prefix === undefined) return [];
  const flow = flowOf(execution, context);
  const { taskRunId, attempt, outputs, now } = command;
  const events: ExecutionEvent[] = [...prefix, { type: 'TaskRunSucceeded', data: { taskRunId, attempt, outputs, at: now } }];
  return [...events, ...nextEvents(fold(execution, events), flow, now)];
};

const failTaskRun = (command: FailTaskRun, execution: Execution): ExecutionEvent[] => {
  const prefix = attemptInProgress(command, execution);
  if (prefix === undefined) return [];
  const { taskRunId, attempt, error, now } = command;
  const taskId = existingTaskRun(execution, taskRunId).taskId;
  return [
    ...prefix,
    { type: 'TaskRunFailed', data: { taskRunId, attempt, error, at: now } },
    { type: 'ExecutionFailed', data: { error: `task ${taskId} failed: ${error}`, at: now } },
  ];
};

/**
 * Whether a worker's result applies: to the running attempt, or to the next one if its start
 * never reached us (the result then implies the start). `undefined` means stale or duplicate.
 */
const attemptInProgress = (command: CompleteTaskRun | FailTaskRun, execution: Execution): ExecutionEvent[] | undefined => {
  if (isTerminal(execution.state)) return undefined;
  const taskRun = existingTaskRun(execution, command.taskRunId);
  if (execution.state !== 'RUNNING') return undefined;
  if (taskRun.state === 'CREATED' && command.attempt === nextAttempt(taskRun)) return [started(command)];
  const current = taskRun.attempts[taskRun.attempts.length - 1];
  if (taskRun.state === 'RUNNING' && current?.number === command.attempt) return [];
  return undefined;
};

const started = (command: StartTaskRun | CompleteTaskRun | FailTaskRun): TaskRunStarted => ({
  type: 'TaskRunStarted',
  data: {
    taskRunId: command.taskRunId,
    attempt: command.attempt,
    ...('workerId' in command && command.workerId !== undefined ? { workerId: command.workerId } : {}),
    at: command.now,
  },
});

const nextAttempt = (taskRun: TaskRun): number => taskRun.attempts.length + 1;

const fold = (execution: Execution, events: readonly ExecutionEvent[]): Execution =>
  events.reduce<ExecutionState>(evolve, execution) as Execution;

const existing = (state: ExecutionState, command: Exclude<ExecutionCommand, CreateExecution>): Execution => {
  if (state === undefined) throw new ExecutionNotFoundError(command.executionId);
  return state;
};

const existingTaskRun = (execution: Execution, taskRunId: string): TaskRun => {
  const taskRun = execution.taskRuns.find((t) => t.id === taskRunId);
  if (taskRun === undefined) throw new TaskRunNotFoundError(execution.id, taskRunId);
  return taskRun;
};

/** The flow revision this execution runs; deciding what comes next is impossible without it. */
const flowOf = (execution: Execution, context: ExecutionDecisionContext): FlowDefinition => {
  const expected = `${execution.namespace}.${execution.flowId} revision ${execution.flowRevision}`;
  const { flow } = context;
  if (flow === undefined) throw new FlowRequiredError(execution.id, expected);
  if (flow.namespace !== execution.namespace || flow.id !== execution.flowId || flow.revision !== execution.flowRevision) {
    throw new FlowRequiredError(execution.id, expected, `${flow.namespace}.${flow.id} revision ${flow.revision}`);
  }
  return flow;
};

/** The decider as one value, emmett-style, for helpers that take any decider. */
export const executionDecider = { decide, evolve, initialState } as const;
