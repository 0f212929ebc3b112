import {
  acceptance, decide, evolve, ExecutionNotFoundError, type Execution, type ExecutionEvent, type ExecutionState, type JsonObject, type KillExecution,
  type PauseExecution, type ResumeExecution, type RestartExecution, type RewindExecution, type State, type UpdateExecution, type ResolveBreakpoint,
} from '@chronicle/domain';
import { breakpointAcceptance } from './breakpoint-acceptance.js';
import type { EventStore } from '@chronicle/event-store';
import type { MessageBus, Topics } from '@chronicle/messaging';
import type { Clock } from '@chronicle/runtime';
import { CodedError, errorCodeOf } from '@chronicle/errors';
import type { ExecutionRepository } from './execution-repository.js';
import type { FlowRepository } from './flow-repository.js';
import { commandMessage, type BusCommand } from '@chronicle/contracts';

/** The control commands a client may send to an execution. */
export type ControlCommand = KillExecution | PauseExecution | ResumeExecution | RestartExecution | UpdateExecution | ResolveBreakpoint | RewindExecution;
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
  | Omit<UpdateExecution, 'executionId' | 'now'>
  | Omit<ResolveBreakpoint, 'executionId' | 'now'>
  | Omit<RewindExecution, 'executionId' | 'now'>
) & { readonly actor?: string };

/** The command cannot apply to the execution as it is now. Maps to CONFLICT. */
export class CommandRejectedError extends CodedError {
  constructor(readonly executionId: string, readonly state: State, message: string) {
    super('COMMAND_REJECTED', message);
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
 * Validates a control command against the execution by running the pure decider as a dry run,
 * then publishes it on the commands topic keyed by execution id: the executor stays the single
 * writer of the stream. A domain refusal becomes a CommandRejectedError (CONFLICT) that says
 * why; a command that would decide nothing is not sent.
 */
export async function sendExecutionCommand(deps: SendExecutionCommandDeps, executionId: string, request: ControlRequest): Promise<SentCommand> {
  const before = await deps.executions.load(executionId);
  if (!before) throw new ExecutionNotFoundError(executionId);
  // Steering (labels, message, priority...) applies in every state; the decider checks the values.
  const accepted = request.type === 'UpdateExecution' ? { kind: 'act' as const }
    : request.type === 'ResolveBreakpoint' ? breakpointAcceptance(before)
      : acceptance(before, request.type);
  if (accepted.kind === 'noop') return { before, expected: before, sent: false };
  if (accepted.kind === 'rejected') throw new CommandRejectedError(executionId, before.state, accepted.reason);
  const command = { ...request, executionId, now: deps.clock.now() } as ControlCommand;
  const flow = before.draftFlow ?? (await deps.flows.require(before.namespace, before.flowId, before.flowRevision)).definition;
  let events: ExecutionEvent[];
  try {
    events = decide(command, before, { flow, taskTypes: deps.flows.taskTypes });
  } catch (error) {
    if (errorCodeOf(error) === 'ILLEGAL_TRANSITION') {
      throw new CommandRejectedError(executionId, before.state, `execution ${executionId} is ${before.state}: ${(error as Error).message}`);
    }
    throw error;
  }
  if (events.length === 0) return { before, expected: before, sent: false };
  const expected = events.reduce<ExecutionState>(evolve, before)!;
  await deps.bus.publish(deps.topics.commands, [{ key: executionId, value: commandMessage(command as BusCommand) }]);
  return { before, expected, sent: true };
}
