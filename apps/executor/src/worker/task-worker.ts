import { keepsLogLine, type ExecutionCommand, type JsonObject, type TaskJob } from '@chronicle/domain';
import { commandMessage, logLineMessage, parseControlMessage, parseTaskJob, type BusCommand, type KillTaskRunMessage, type LogLine } from '@chronicle/contracts';
import type { Consumer, MessageBus, Topics } from '@chronicle/messaging';
import { taskRunDuration, traceIds, type Clock, type Logger, type ScriptSettings } from '@chronicle/runtime';
import { runnerOf, TaskFailure, TaskKilled, type LogLevel, type TaskMetric, type TaskServices } from '@chronicle/tasks';
import { TaskPool } from './task-pool.js';
import { untilAborted } from './until-aborted.js';
import { withTaskServices } from './task-services.js';
import { writeAttemptLogFile } from './attempt-log-file.js';

export const WORKER_GROUP = 'chronicle-workers';
/** Every worker reads the control topic in a group of its own: kill requests are broadcast. */
export const workerControlGroup = (workerId: string): string => `chronicle-worker-control-${workerId}`;

/** One log line of a task attempt, as the worker publishes it (the logs contract's LogLine). */
export type LogMessage = LogLine;

export interface TaskWorkerOptions {
  /** The internal storage, KV store and secrets of storage/KV tasks and I/O expression functions (task-services.ts). */
  readonly services?: TaskServices;
  /** Largest JSON size of a task run's outputs (default 1 MiB): beyond it the task run fails. */
  readonly maxOutputBytes?: number;
  /** How often a running attempt's lease is renewed with ReportTaskRunAlive (default 10 s). */
  readonly leaseRenewalMs?: number;
  /** How long the worker waits for a killed task to stop before reporting it killed anyway (default 5 s). */
  readonly killGraceMs?: number;
  /** The bounds of `Script` tasks (CHRONICLE_SCRIPT_*); the defaults when absent. */
  readonly scriptSettings?: ScriptSettings;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
export const DEFAULT_LEASE_RENEWAL_MS = 10_000;

interface RunningAttempt {
  readonly job: TaskJob;
  readonly controller: AbortController;
}

/**
 * The worker pool: runs runnable task runs from the tasks topic and reports back on the
 * commands topic (StartTaskRun, then CompleteTaskRun or FailTaskRun). Logs go to the logs
 * topic, not the event log.
 *
 * A batch is committed once its jobs are reported started and have a lane in the pool, not
 * when they end: a long task must not hold back the task runs after it on its partition
 * (task runs are keyed by execution, so unrelated executions share partitions). The batch
 * waits only while all `concurrency` lanes are busy, heartbeating so that its consumer keeps
 * the partition (a lost one starts nothing more). Nothing is lost by committing early:
 * StartTaskRun gave each attempt a lease that this worker renews (ReportTaskRunAlive) while
 * it holds the job; if the worker dies, the lease runs out (CHRONICLE_LEASE_TIMEOUT_MS) and
 * the attempt is taken over as a new one; duplicate reports are ignored by the executor.
 * A kill request for an attempt on the control topic aborts it.
 */
export class TaskWorker {
  private consumer?: Consumer;
  private control?: Consumer;
  private renewal?: NodeJS.Timeout;
  private readonly running = new Map<string, RunningAttempt>();
  /**
   * Every attempt of the batch in hand, running or waiting for a free lane: all were reported
   * started, so all renew their lease (a job waiting behind slow ones must not look lost).
   */
  private readonly held = new Map<string, TaskJob>();
  /** Kill requests for attempts not (yet) running here: a job that arrives after its kill is not run. */
  private readonly killedEarly = new Map<string, string>();
  private readonly services?: TaskServices;
  private readonly maxOutputBytes: number;
  private readonly leaseRenewalMs: number;
  private readonly killGraceMs: number;
  private readonly scriptSettings?: ScriptSettings;
  private readonly pool: TaskPool;
  private stopping = false;

  constructor(
    private readonly bus: MessageBus,
    private readonly topics: Topics,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly workerId: string,
    concurrency: number,
    options: TaskWorkerOptions = {},
  ) {
    this.services = options.services;
    this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.leaseRenewalMs = options.leaseRenewalMs ?? DEFAULT_LEASE_RENEWAL_MS;
    this.killGraceMs = options.killGraceMs ?? 5_000;
    this.scriptSettings = options.scriptSettings;
    this.pool = new TaskPool(concurrency);
  }

  async start(): Promise<void> {
    this.control = await this.bus.consume(
      { topic: this.topics.control, groupId: workerControlGroup(this.workerId), fromBeginning: false },
      async (message) => this.onControl(parseControlMessage(message.value)),
    );
    this.renewal = setInterval(() => void this.renewLeases(), this.leaseRenewalMs);
    this.renewal.unref();
    this.consumer = await this.bus.consumeBatch<TaskJob>({ topic: this.topics.tasks, groupId: WORKER_GROUP }, async (messages, control) => {
      // The tasks contract: a malformed job or one of an unknown schemaVersion goes to the DLQ.
      const jobs = messages.map((m) => parseTaskJob(m.value));
      for (const job of jobs) this.held.set(attemptKey(job.taskRunId, job.attempt), job);
      try {
        await this.bus.publish(
          this.topics.commands,
          jobs.map((job) => ({
            key: job.executionId,
            value: commandMessage({ type: 'StartTaskRun', executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt, workerId: this.workerId, now: this.clock.now() } satisfies ExecutionCommand),
          })),
        );
      } catch (error) {
        // Not reported started: the batch is redelivered, its jobs are not held here any more.
        for (const job of jobs) this.held.delete(attemptKey(job.taskRunId, job.attempt));
        throw error;
      }
      // Each job leaves the batch once it has a lane; `held` keeps renewing its lease until it ends.
      // While every lane is busy the batch waits, in its group (heartbeats); a batch whose partition
      // was lost meanwhile starts nothing more: its next owner runs the rest.
      let lost = false;
      const heartbeat = () => void control.heartbeat().catch(() => (lost = true));
      const stillOurs = () => !lost && control.alive();
      const ordered = byPriority(jobs);
      for (const [i, job] of ordered.entries()) {
        if (await this.pool.admit(() => this.run(job), { whileWaiting: heartbeat, stillWanted: stillOurs })) continue;
        for (const left of ordered.slice(i)) this.held.delete(attemptKey(left.taskRunId, left.attempt));
        throw new Error('the task jobs partition was reassigned while its batch waited for a free lane: the rest of the batch goes to its next owner');
      }
    });
  }

  /** Stops taking jobs (leaving the group at once), then waits for the attempts in hand to end and report. */
  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.stopping = true;
    await this.pool.drain();
    clearInterval(this.renewal);
    await this.control?.stop();
  }

  /** Attempts running now, as `taskRunId#attempt` (for tests and diagnostics). */
  runningAttempts(): string[] {
    return [...this.running.keys()];
  }

  private async run(job: TaskJob): Promise<void> {
    const key = attemptKey(job.taskRunId, job.attempt);
    const logs: LogMessage[] = [];
    const metrics: TaskMetric[] = [];
    // The task's `logLevel` drops its lines below that level, as Kestra's does.
    const log = (level: LogLevel, message: string): void => {
      if (keepsLogLine(job.logLevel, level)) logs.push({ executionId: job.executionId, taskRunId: job.taskRunId, taskId: job.taskId, level, message, timestamp: this.clock.now() });
    };
    const controller = new AbortController();
    const earlyKill = this.killedEarly.get(key);
    if (earlyKill !== undefined) controller.abort(new TaskKilled(earlyKill));
    this.running.set(key, { job, controller });
    // Logs about this attempt carry its ids (and, with tracing on, the trace's).
    const attemptLog = this.logger.child({ correlationId: job.executionId, executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt, ...traceIds() });
    const timer = taskRunDuration.startTimer({ task_type: job.type });
    let result: BusCommand;
    try {
      const task = withTaskServices(runnerOf(job.type), this.services);
      if (!task) throw new TaskFailure(`no worker implementation for task type ${job.type}`);
      if (controller.signal.aborted) throw controller.signal.reason as Error;
      let workingFiles: Readonly<Record<string, string>> | undefined;
      const outputs = await untilAborted(
        task({ job, log, metric: (m) => metrics.push(m), workingFiles: (files) => (workingFiles = files), signal: controller.signal, ...(this.scriptSettings ? { scriptSettings: this.scriptSettings } : {}) }),
        controller.signal,
        this.killGraceMs,
      );
      this.checkOutputsSize(outputs);
      result = {
        type: 'CompleteTaskRun', executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt, outputs, now: this.clock.now(),
        ...(metrics.length > 0 ? { metrics } : {}),
        ...(workingFiles !== undefined ? { workingFiles } : {}),
      };
    } catch (error) {
      const killed = error instanceof TaskKilled || controller.signal.aborted;
      const message = killed && !(error instanceof TaskKilled) ? (controller.signal.reason as Error).message : error instanceof Error ? error.message : String(error);
      // A failure's ERROR line comes from its TaskRunFailed event (the relay's), whoever decided it: not from here too.
      if (killed) log('WARN', message);
      result = {
        type: 'FailTaskRun', executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt, error: message, now: this.clock.now(),
        ...(killed ? { killed: true } : {}),
        ...(metrics.length > 0 ? { metrics } : {}),
      };
    } finally {
      this.running.delete(key);
      this.killedEarly.delete(key);
    }
    // logToFile: the lines go to a file of the internal storage, not to the log store (Kestra's
    // RunContextLogger); should the file not be written, they go to the log store after all.
    let published = logs;
    if (job.logToFile === true && job.flow !== undefined && this.services !== undefined) {
      try {
        const logFile = await writeAttemptLogFile(this.services.storage, { ...job, flow: job.flow }, logs);
        result = { ...result!, logFile } as BusCommand;
        published = [];
      } catch (error) {
        attemptLog.warn({ err: error }, 'could not write the attempt\'s log file: its lines go to the log store');
      }
    }
    const outcome = result!.type === 'CompleteTaskRun' ? 'SUCCESS' : (result! as { killed?: boolean }).killed ? 'KILLED' : 'FAILED';
    const seconds = timer({ state: outcome });
    attemptLog.debug({ taskType: job.type, state: outcome, seconds }, 'task run attempt ended');
    // Logs first, best-effort after a few tries (a log line must not hold the result back for ever):
    // a later task's log.Fetch publishes its barrier after them, so it sees them stored...
    await Promise.all(chunksOf(published, LOG_CHUNK_BYTES).map((chunk) =>
      this.retry(attemptLog, 'its logs', LOG_PUBLISH_ATTEMPTS, () => this.bus.publish(this.topics.logs, chunk.map((l) => ({ key: l.executionId, value: logLineMessage(l) }))))));
    // ...then the result, published until the bus takes it.
    await this.retry(attemptLog, 'its result', Infinity, () => this.bus.publish(this.topics.commands, [{ key: job.executionId, value: commandMessage(result) }]));
    this.held.delete(key);
  }

  /**
   * The job's batch is committed already: a report is published again on failure, while the
   * lease is still renewed. A stopping worker gives up (the lease then runs out and the attempt
   * is taken over), and so does a publish that failed `attempts` times.
   */
  private async retry(attemptLog: Logger, what: string, attempts: number, publish: () => Promise<void>): Promise<void> {
    for (let attempt = 1, delayMs = 200; ; attempt++, delayMs = Math.min(delayMs * 2, 5_000)) {
      try {
        return await publish();
      } catch (error) {
        if (this.stopping || attempt >= attempts) {
          attemptLog.error({ err: error, attempt }, `could not publish ${what}: given up`);
          return;
        }
        attemptLog.warn({ err: error, attempt }, `could not publish ${what}, retrying`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private checkOutputsSize(outputs: JsonObject): void {
    const size = Buffer.byteLength(JSON.stringify(outputs));
    if (size > this.maxOutputBytes) {
      throw new TaskFailure(`outputs are ${size} bytes of JSON, over the limit of ${this.maxOutputBytes} bytes: store large data elsewhere and output a reference`);
    }
  }

  private async onControl(message: KillTaskRunMessage): Promise<void> {
    const key = attemptKey(message.taskRunId, message.attempt);
    const running = this.running.get(key);
    const reason = message.reason ?? 'killed on request';
    if (running) {
      this.logger.info({ executionId: message.executionId, taskRunId: message.taskRunId, attempt: message.attempt }, 'killing a running attempt');
      running.controller.abort(new TaskKilled(reason));
      return;
    }
    // The job may still be queued behind others of its batch: remember the kill (bounded).
    this.killedEarly.set(key, reason);
    if (this.killedEarly.size > 10_000) this.killedEarly.delete(this.killedEarly.keys().next().value!);
  }

  private async renewLeases(): Promise<void> {
    if (this.held.size === 0) return;
    const now = this.clock.now();
    const messages = [...this.held.values()].map((job) => ({
      key: job.executionId,
      value: commandMessage({ type: 'ReportTaskRunAlive', executionId: job.executionId, taskRunId: job.taskRunId, attempt: job.attempt, workerId: this.workerId, now } satisfies ExecutionCommand),
    }));
    await this.bus.publish(this.topics.commands, messages).catch((error) => this.logger.warn({ err: error }, 'could not renew task run leases'));
  }
}

const attemptKey = (taskRunId: string, attempt: number) => `${taskRunId}#${attempt}`;

/** A task's log lines go out in publishes of about this many bytes: one record batch must stay under Kafka's 1 MiB. */
const LOG_CHUNK_BYTES = 256 * 1024;
const LOG_PUBLISH_ATTEMPTS = 5;

function chunksOf(logs: readonly LogMessage[], maxBytes: number): LogMessage[][] {
  const chunks: LogMessage[][] = [];
  let current: LogMessage[] = [];
  let bytes = 0;
  for (const line of logs) {
    const size = Buffer.byteLength(line.message) + 200;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * When a batch holds more jobs than free lanes, the flows with a higher `priority` go first;
 * equal priorities keep their order (Kafka's, which is per execution).
 */
export function byPriority(jobs: readonly TaskJob[]): TaskJob[] {
  return jobs.map((job, index) => ({ job, index })).sort((a, b) => (b.job.priority ?? 0) - (a.job.priority ?? 0) || a.index - b.index).map((x) => x.job);
}
