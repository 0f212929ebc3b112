import {
  decide, DomainError, evolve, type Execution, type ExecutionEvent, type ExecutionState, type JsonObject, type KillExecution,
  type PauseExecution, type ResumeExecution, type RestartExecution, type State,
} from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import type { MessageBus, Topics } from '@chronicle/messaging';
import type { Clock } from '@chronicle/runtime';
import { ApplicationError, ExecutionNotFoundError } from './errors.js';
import type { ExecutionRepository } from './execution-repository.js';
import type { FlowRepository } from './flow-repository.js';

/** The control commands a client may send to an execution. */
export type ControlCommand = KillExecution | PauseExecution | ResumeExecution | RestartExecution;
export type ControlCommandType = ControlCommand['type'];

/**
 * A control command as a client asks for it: the application adds the id and the clock. `actor`
 * (who asks) travels with the command, and the executor writes it into the events' metadata.
 */
export type ControlRequest = (
  | { readonly type: 'KillExecution'; readonly reason?: string }
  | { readonly type: 'PauseExecution' }
  | { readonly type: 'ResumeExecution'; readonly approve?: boolean; readonly inputs?: JsonObject }
  | { readonly type: 'RestartExecution' }
) & { readonly actor?: string };

/** The command cannot apply to the execution as it is now. Maps to CONFLICT. */
export class CommandRejectedError extends ApplicationError {
  constructor(readonly executionId: string, readonly state: State, message: string) {
    super('EXECUTION.ILLEGAL_TRANSITION', message);
  }
}

export interface SentCommand {
  /** The execution the command was decided on (folded from the event store). */
  readonly before: Execution;
  /** What the executor is expected to make of it (the dry run), when `sent`. */
  readonly expected: Execution;
  /** False when the command changes nothing (already killed, paused...): nothing was sent. */
  readonly sent: boolean;
}

export interface SendExecutionCommandDeps {
  readonly store: EventStore;
  readonly flows: FlowRepository;
  readonly executions: ExecutionRepository;
  readonly bus: MessageBus;
  readonly topics: Topics;
  readonly clock: Clock;
}

/**
 * What each command accepts, by execution state: `act` = it changes something; `noop` = already
 * done (idempotent: answered as is); anything else is a CONFLICT saying why. The decider has
 * the last word (it also runs on the executor): this table only gives the API a clear message
 * where the decider would silently ignore a stale command.
 */
const ACCEPTS: Record<ControlCommandType, { act: readonly State[]; noop: readonly State[]; what: string }> = {
  KillExecution: { act: ['CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'RESTARTED', 'RETRYING'], noop: ['KILLING', 'KILLED'], what: 'only a created, queued, running or paused execution can be killed' },
  PauseExecution: { act: ['RUNNING'], noop: ['PAUSED'], what: 'only a running execution can be paused' },
  ResumeExecution: { act: ['PAUSED', 'RUNNING'], noop: [], what: 'only a paused execution can be resumed' },
  RestartExecution: { act: ['FAILED', 'KILLED', 'WARNING'], noop: ['RESTARTED'], what: 'only a failed, killed or warning execution can be restarted' },
};

/**
 * Validates a control command against the execution by running the pure decider as a dry run,
 * then publishes it on the commands topic keyed by execution id: the executor stays the single
 * writer of the stream. A domain refusal becomes a CommandRejectedError (CONFLICT) that says
 * why; a command that would decide nothing is not sent.
 */
export async function sendExecutionCommand(deps: SendExecutionCommandDeps, executionId: string, request: ControlRequest): Promise<SentCommand> {
  const before = await deps.executions.load(executionId);
  if (!before) throw new ExecutionNotFoundError(executionId);
  const accepts = ACCEPTS[request.type];
  const pausedTask = before.taskRuns.some((t) => t.state === 'PAUSED');
  if (accepts.noop.includes(before.state)) return { before, expected: before, sent: false };
  if (!accepts.act.includes(before.state) || (request.type === 'ResumeExecution' && before.state === 'RUNNING' && !pausedTask)) {
    throw new CommandRejectedError(executionId, before.state, `execution ${executionId} is ${before.state}: ${accepts.what}`);
  }
  const command = { ...request, executionId, now: deps.clock.now() } as ControlCommand;
  const flow = (await deps.flows.require(before.namespace, before.flowId, before.flowRevision)).definition;
  let events: ExecutionEvent[];
  try {
    events = decide(command, before, { flow });
  } catch (error) {
    if (error instanceof DomainError && error.code.endsWith('.ILLEGAL_TRANSITION')) {
      throw new CommandRejectedError(executionId, before.state, `execution ${executionId} is ${before.state}: ${accepts.what} (${error.message})`);
    }
    throw error;
  }
  if (events.length === 0) return { before, expected: before, sent: false };
  const expected = events.reduce<ExecutionState>(evolve, before)!;
  await deps.bus.publish(deps.topics.commands, [{ key: executionId, value: command }]);
  return { before, expected, sent: true };
}
