import type { ExecutionCommand, JsonObject, TaskJob } from '@chronicle/domain';
import { PoisonMessageError, type Consumer, type MessageBus, type Topics } from '@chronicle/messaging';
import type { Clock, Logger } from '@chronicle/runtime';
import { TaskFailure, type LogLevel } from './runnable-task.js';
import { RUNNABLE_TASKS } from './tasks/index.js';

export const WORKER_GROUP = 'chronicle-workers';

export interface LogMessage {
  readonly executionId: string;
  readonly taskRunId: string;
  readonly taskId: string;
  readonly level: LogLevel;
  readonly message: string;
  readonly timestamp: string;
}

/**
 * The worker pool: runs runnable task runs from the tasks topic and reports back on the
 * commands topic (StartTaskRun, then CompleteTaskRun or FailTaskRun). Logs go to the logs
 * topic, not the event log. The batch is committed once every report is published, so a
 * crashed worker's jobs are redelivered and the executor ignores duplicate reports.
 */
export class TaskWorker {
  private consumer?: Consumer;

  constructor(
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly workerId: string,
    private readonly concurrency: number,
  ) {}

  async start(): Promise<void> {
    this.consumer = await this.bus.consumeBatch<TaskJob>({ topic: this.topics.tasks, groupId: WORKER_GROUP }, async (messages) => {
      const jobs = messages.map((m) => parseJob(m.value));
      await this.bus.publish(
        this.topics.commands,
        jobs.map((job) => ({
          key: job.executionId,
          value: { type: 'StartTaskRun', executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt, workerId: this.workerId, now: this.clock.now() } satisfies ExecutionCommand,
        })),
      );
      await runLimited(jobs, this.concurrency, (job) => this.run(job));
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  private async run(job: TaskJob): Promise<void> {
    const logs: LogMessage[] = [];
    const log = (level: LogLevel, message: string) =>
      logs.push({ executionId: job.executionId, taskRunId: job.taskRunId, taskId: job.taskId, level, message, timestamp: this.clock.now() });
    let result: ExecutionCommand;
    try {
      const task = RUNNABLE_TASKS[job.type];
      if (!task) throw new TaskFailure(`no worker implementation for task type ${job.type}`);
      const outputs: JsonObject = await task({ job, log, signal: new AbortController().signal });
      result = { type: 'CompleteTaskRun', executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt, outputs, now: this.clock.now() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log('ERROR', message);
      result = { type: 'FailTaskRun', executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt, error: message, now: this.clock.now() };
    }
    await Promise.all([
      logs.length > 0 ? this.bus.publish(this.topics.logs, logs.map((l) => ({ key: l.executionId, value: l }))) : undefined,
      this.bus.publish(this.topics.commands, [{ key: job.executionId, value: result }]),
    ]);
  }
}

function parseJob(value: unknown): TaskJob {
  const job = value as Partial<TaskJob> | null;
  if (!job || typeof job.executionId !== 'string' || typeof job.taskRunId !== 'string' || typeof job.type !== 'string' || typeof job.attempt !== 'number') {
    throw new PoisonMessageError('task job lacks executionId, taskRunId, type or attempt');
  }
  return job as TaskJob;
}

async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}
