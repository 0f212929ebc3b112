import { topicNames, type BusMessage, type Consumer, type MessageBus, type ReceivedMessage } from '@chronicle/messaging';
import type { DataSource } from 'typeorm';
import { isLogBarrier, LOG_BARRIER_CHANNEL, parseLogsMessage, updateMessage, type LogLine, type LogUpdate } from '@chronicle/contracts';
import { consoleProjectionLogger, errorDetails, type ProjectionLogger } from './projection-logger.js';

/** A log line on the `logs` topic: the contract's (libs/contracts/src/logs.ts). */
export type LogMessage = LogLine;

export interface LogProjectorOptions {
  /** Consumer group (default `chronicle-log-projection`). */
  readonly groupId?: string;
  readonly topicPrefix?: string;
  readonly logsTopic?: string;
  readonly updatesTopic?: string;
  readonly logger?: ProjectionLogger;
}

export interface LogRow {
  id: string;
  execution_id: string;
  task_run_id: string | null;
  task_id: string | null;
  level: string;
  message: string;
  timestamp: Date;
}

/**
 * Stores log lines from the bus, one multi-row INSERT per batch, then announces them on the
 * `updates` topic. A failed insert fails the batch, which the bus redelivers.
 */
export class LogProjector {
  private readonly logsTopic: string;
  private readonly updatesTopic: string;
  private readonly logger: ProjectionLogger;
  private consumer: Consumer | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: MessageBus,
    private readonly options: LogProjectorOptions = {},
  ) {
    const topics = topicNames(options.topicPrefix);
    this.logsTopic = options.logsTopic ?? topics.logs;
    this.updatesTopic = options.updatesTopic ?? topics.updates;
    this.logger = options.logger ?? consoleProjectionLogger;
  }

  async start(): Promise<void> {
    if (this.consumer) return;
    await this.bus.ensureTopics([this.logsTopic, this.updatesTopic]);
    this.consumer = await this.bus.consumeBatch<unknown>(
      { topic: this.logsTopic, groupId: this.options.groupId ?? 'chronicle-log-projection', fromBeginning: true },
      (messages) => this.handle(messages),
    );
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop();
  }

  /** A line that is not one (or of an unknown schemaVersion) makes the bus hand the batch over one by one: it goes to the DLQ, the others are stored. */
  private async handle(messages: readonly ReceivedMessage<unknown>[]): Promise<void> {
    const parsed = messages.map((message) => parseLogsMessage(message.value));
    const lines = parsed.filter((m): m is LogLine => !isLogBarrier(m));
    const barriers = parsed.filter(isLogBarrier).map((b) => b.barrier);
    const rows = lines.length > 0 ? await insertLogs(this.dataSource, lines) : [];
    // After the insert committed: every line before a barrier (same partition) is stored now.
    if (barriers.length > 0) await this.dataSource.query(`SELECT pg_notify('${LOG_BARRIER_CHANNEL}', id) FROM unnest($1::text[]) AS id`, [barriers]);
    if (rows.length === 0) return;
    const updates = rows.map((row): BusMessage => ({ key: row.execution_id, value: updateMessage(logUpdate(row)) }));
    try {
      await this.bus.publish(this.updatesTopic, updates);
    } catch (error) {
      this.logger.warn({ count: updates.length, ...errorDetails(error) }, 'log updates not published');
    }
  }
}

/** One multi-row INSERT, whatever the batch size. */
export async function insertLogs(db: Pick<DataSource, 'query'>, lines: readonly LogMessage[]): Promise<LogRow[]> {
  const rows: LogRow[] = await db.query(
    `INSERT INTO logs (execution_id, task_run_id, task_id, level, message, "timestamp")
     SELECT x."executionId", x."taskRunId", x."taskId", x.level, x.message, x."timestamp"
       FROM jsonb_to_recordset($1::jsonb) AS x(ord int, "executionId" text, "taskRunId" text, "taskId" text, level text,
              message text, "timestamp" timestamptz)
      ORDER BY x.ord
     RETURNING id::text AS id, execution_id, task_run_id, task_id, level, message, "timestamp"`,
    [JSON.stringify(lines.map((line, ord) => ({ ord, ...line })))],
  );
  return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/**
 * The lines the execution projection stores with an execution's rows (LOG_LINES_WITH_ROWS), in
 * its batch transaction: one INSERT, and none of a line stored already (the same task run's line
 * with the same time and text), so a replay of the log (a reset projection) stores nothing twice.
 */
export async function insertLinesWithRows(db: Pick<DataSource, 'query'>, lines: readonly LogMessage[]): Promise<LogRow[]> {
  if (lines.length === 0) return [];
  const rows: LogRow[] = await db.query(
    `INSERT INTO logs (execution_id, task_run_id, task_id, level, message, "timestamp")
     SELECT x."executionId", x."taskRunId", x."taskId", x.level, x.message, x."timestamp"
       FROM jsonb_to_recordset($1::jsonb) AS x(ord int, "executionId" text, "taskRunId" text, "taskId" text, level text,
              message text, "timestamp" timestamptz)
      WHERE NOT EXISTS (SELECT 1 FROM logs l WHERE l.execution_id = x."executionId" AND l.task_run_id IS NOT DISTINCT FROM x."taskRunId"
                          AND l."timestamp" = x."timestamp" AND l.message = x.message)
      ORDER BY x.ord
     RETURNING id::text AS id, execution_id, task_run_id, task_id, level, message, "timestamp"`,
    [JSON.stringify(lines.map((line, ord) => ({ ord, ...line })))],
  );
  return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** A stored line as the `updates` topic announces it. */
export function logUpdate(row: LogRow): LogUpdate {
  return {
    kind: 'log',
    id: row.id,
    executionId: row.execution_id,
    ...(row.task_run_id !== null ? { taskRunId: row.task_run_id } : {}),
    ...(row.task_id !== null ? { taskId: row.task_id } : {}),
    level: row.level as LogUpdate['level'],
    message: row.message,
    timestamp: row.timestamp.toISOString(),
  };
}
