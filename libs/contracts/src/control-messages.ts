import { PoisonMessageError } from '@chronicle/messaging';

/** Broadcast on the `control` topic: the worker running this attempt aborts it. */
export interface KillTaskRunMessage {
  readonly type: 'KillTaskRun';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly reason?: string;
}

export type ControlMessage = KillTaskRunMessage;

export function parseControlMessage(value: unknown): ControlMessage {
  const m = value as Partial<KillTaskRunMessage> | null;
  if (!m || typeof m !== 'object' || m.type !== 'KillTaskRun') throw new PoisonMessageError('control message is not a KillTaskRun');
  if (typeof m.executionId !== 'string' || typeof m.taskRunId !== 'string' || typeof m.attempt !== 'number') {
    throw new PoisonMessageError('KillTaskRun lacks executionId, taskRunId or attempt');
  }
  return m as KillTaskRunMessage;
}
