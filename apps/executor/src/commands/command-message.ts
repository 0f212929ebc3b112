import type { ExecutionCommand } from '@chronicle/domain';
import { PoisonMessageError } from '@chronicle/messaging';

/** Commands to an existing Execution aggregate that travel on the commands topic. */
export const BUS_COMMANDS: ReadonlySet<string> = new Set([
  'AdvanceExecution',
  'StartTaskRun',
  'CompleteTaskRun',
  'FailTaskRun',
  'KillExecution',
  'PauseExecution',
  'ResumeExecution',
  'ResumeAnswered',
  'RestartExecution',
  'FireTimer',
  'ChildExecutionEnded',
  'ReportTaskRunAlive',
  'ExpireTaskRunLease',
  'UpdateExecution',
  'WatchExecution',
  'WatchedExecutionEnded',
  'RewindExecution',
]);

/** Commands about one attempt of a task run: they name it. */
const ATTEMPT_COMMANDS = new Set(['StartTaskRun', 'CompleteTaskRun', 'FailTaskRun', 'ReportTaskRunAlive', 'ExpireTaskRunLease']);

/** Checks the shape of a command read from the bus; a malformed one is poison (DLQ). */
export function parseCommandMessage(value: unknown): ExecutionCommand {
  if (typeof value !== 'object' || value === null) throw new PoisonMessageError('command is not a JSON object');
  const command = value as Record<string, unknown>;
  if (typeof command.type !== 'string' || !BUS_COMMANDS.has(command.type)) {
    throw new PoisonMessageError(`unknown command type ${JSON.stringify(command.type)}; expected one of ${[...BUS_COMMANDS].join(', ')}`);
  }
  if (typeof command.executionId !== 'string' || command.executionId === '') throw new PoisonMessageError('command has no executionId');
  if (typeof command.now !== 'string') throw new PoisonMessageError('command has no `now` timestamp');
  if (ATTEMPT_COMMANDS.has(command.type)) {
    if (typeof command.taskRunId !== 'string') throw new PoisonMessageError(`${command.type} has no taskRunId`);
    if (typeof command.attempt !== 'number') throw new PoisonMessageError(`${command.type} has no attempt number`);
  }
  if (command.type === 'CompleteTaskRun' && (typeof command.outputs !== 'object' || command.outputs === null || Array.isArray(command.outputs))) {
    throw new PoisonMessageError('CompleteTaskRun has no outputs object');
  }
  if (command.type === 'FailTaskRun' && typeof command.error !== 'string') throw new PoisonMessageError('FailTaskRun has no error message');
  if (command.type === 'FireTimer' && (typeof command.timerId !== 'string' || command.timerId === '')) throw new PoisonMessageError('FireTimer has no timerId');
  if (command.type === 'ChildExecutionEnded') {
    const missing = ['childExecutionId', 'taskRunId', 'state'].filter((k) => typeof command[k] !== 'string');
    if (missing.length > 0) throw new PoisonMessageError(`ChildExecutionEnded has no ${missing.join(', ')}`);
  }
  if (command.type === 'WatchExecution') {
    const w = command.watcher as Record<string, unknown> | undefined;
    if (typeof w !== 'object' || w === null || typeof w.executionId !== 'string' || typeof w.taskRunId !== 'string' || typeof w.namespace !== 'string') throw new PoisonMessageError('WatchExecution has no watcher { executionId, taskRunId, namespace }');
  }
  if (command.type === 'WatchedExecutionEnded') {
    const missing = ['taskRunId', 'watchedExecutionId', 'state'].filter((k) => typeof command[k] !== 'string');
    if (missing.length > 0) throw new PoisonMessageError(`WatchedExecutionEnded has no ${missing.join(', ')}`);
  }
  if (command.type === 'RewindExecution' && (typeof command.rewindId !== 'string' || command.rewindId === '')) throw new PoisonMessageError('RewindExecution has no rewindId');
  return command as unknown as ExecutionCommand;
}
