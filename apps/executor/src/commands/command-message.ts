import type { ExecutionCommand } from '@chronicle/domain';
import { PoisonMessageError } from '@chronicle/messaging';

const BUS_COMMANDS = new Set(['AdvanceExecution', 'StartTaskRun', 'CompleteTaskRun', 'FailTaskRun']);

/** Checks the shape of a command read from the bus; a malformed one is poison (DLQ). */
export function parseCommandMessage(value: unknown): ExecutionCommand {
  if (typeof value !== 'object' || value === null) throw new PoisonMessageError('command is not a JSON object');
  const command = value as Record<string, unknown>;
  if (typeof command.type !== 'string' || !BUS_COMMANDS.has(command.type)) {
    throw new PoisonMessageError(`unknown command type ${JSON.stringify(command.type)}; expected one of ${[...BUS_COMMANDS].join(', ')}`);
  }
  if (typeof command.executionId !== 'string' || command.executionId === '') throw new PoisonMessageError('command has no executionId');
  if (typeof command.now !== 'string') throw new PoisonMessageError('command has no `now` timestamp');
  if (command.type !== 'AdvanceExecution') {
    if (typeof command.taskRunId !== 'string') throw new PoisonMessageError(`${command.type} has no taskRunId`);
    if (typeof command.attempt !== 'number') throw new PoisonMessageError(`${command.type} has no attempt number`);
  }
  if (command.type === 'CompleteTaskRun' && (typeof command.outputs !== 'object' || command.outputs === null || Array.isArray(command.outputs))) {
    throw new PoisonMessageError('CompleteTaskRun has no outputs object');
  }
  if (command.type === 'FailTaskRun' && typeof command.error !== 'string') throw new PoisonMessageError('FailTaskRun has no error message');
  return command as unknown as ExecutionCommand;
}
