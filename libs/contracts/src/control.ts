import { z } from 'zod';
import { messageContract } from './message-contract.js';

/** The `control` topic, broadcast to every worker: the worker running this attempt aborts it. */
export interface KillTaskRunMessage {
  readonly type: 'KillTaskRun';
  readonly executionId: string;
  readonly taskRunId: string;
  readonly attempt: number;
  readonly reason?: string;
}

export type ControlMessage = KillTaskRunMessage;

export const CONTROL_CONTRACT = messageContract<ControlMessage>('control', 1, z.object({
  type: z.literal('KillTaskRun'),
  executionId: z.string(),
  taskRunId: z.string(),
  attempt: z.number(),
  reason: z.string().optional(),
}));

export const killTaskRunMessage = (kill: Omit<KillTaskRunMessage, 'type'>) => CONTROL_CONTRACT.stamp<KillTaskRunMessage>({ type: 'KillTaskRun', ...kill });

export const parseControlMessage = (value: unknown): ControlMessage => CONTROL_CONTRACT.parse(value);
