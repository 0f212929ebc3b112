import type { TaskJob } from '@chronicle/domain';
import { z } from 'zod';
import { messageContract } from './message-contract.js';

/**
 * The `tasks` topic, keyed by execution id: one attempt of a runnable task run for the worker
 * pool. The job's type is the domain's TaskJob (written by the decider, relayed as it is);
 * the schema checks what the worker needs before it takes the job, the rest passes through.
 */
export const TASKS_CONTRACT = messageContract<TaskJob>('tasks', 1, z.looseObject({
  executionId: z.string().min(1),
  taskRunId: z.string().min(1),
  type: z.string().min(1),
  attempt: z.number(),
}));

export const taskJobMessage = (job: TaskJob) => TASKS_CONTRACT.stamp(job);

export const parseTaskJob = (value: unknown): TaskJob => TASKS_CONTRACT.parse(value);
