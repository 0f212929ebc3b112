import { LOG_LEVELS, type LogLevel } from '@chronicle/domain';
import { PoisonMessageError } from '@chronicle/messaging';
import { z } from 'zod';
import { messageContract, type MessageContract } from './message-contract.js';

/**
 * The `logs` topic, keyed by execution id: one line of a task run's log, from the worker (its
 * task's lines), the executor (a local task's lines) and the relay (the ERROR line of a failure),
 * to the log projection, which stores it and announces it on `updates` (updates.ts, `LogUpdate`).
 * The one declaration of a log line on the bus. The lines of a start that ended in its own append
 * skip the topic: the execution projection stores them with its rows (event-log-lines.ts).
 */
export interface LogLine {
  readonly executionId: string;
  readonly taskRunId?: string;
  readonly taskId?: string;
  readonly level: LogLevel;
  readonly message: string;
  /** ISO-8601. */
  readonly timestamp: string;
}


/** The fields of a log line, also those of a LogUpdate (updates.ts). */
export const LOG_LINE_FIELDS = {
  executionId: z.string().min(1),
  taskRunId: z.string().optional(),
  taskId: z.string().optional(),
  // Upper case as Kestra writes it; a producer that wrote `warn` meant WARN.
  level: z.string().transform((level) => level.toUpperCase()).pipe(z.enum(LOG_LEVELS)),
  message: z.string(),
  timestamp: z.string().refine((at) => !Number.isNaN(Date.parse(at)), 'must be an ISO-8601 date-time'),
};

/**
 * A marker behind an execution's lines (same key, so the same partition, so after every line
 * published before it): `log.Fetch` publishes one and waits until the log projection has passed
 * it, so that it reads every line the execution's earlier tasks wrote. Stored nowhere; the
 * projection announces it (Postgres NOTIFY on LOG_BARRIER_CHANNEL, payload the id) once the lines
 * before it are stored.
 */
export interface LogBarrier {
  readonly executionId: string;
  readonly barrier: string;
}

export const LOG_BARRIER_CHANNEL = 'chronicle_log_barrier';

export type LogsMessage = LogLine | LogBarrier;

export const isLogBarrier = (message: LogsMessage): message is LogBarrier => 'barrier' in message;

const LOG_BARRIER_FIELDS = { executionId: z.string().min(1), barrier: z.string().min(1).max(100) };

const LOG_LINE_CONTRACT = messageContract<LogLine>('logs', 1, z.object(LOG_LINE_FIELDS));
const LOG_BARRIER_CONTRACT = messageContract<LogBarrier>('logs barrier', 1, z.object(LOG_BARRIER_FIELDS).strict());

// A barrier is a second kind on the same topic, told by its `barrier` field (so a bad line is
// still refused with the line's own reasons): a build without it dead-letters barriers with the
// reason, and a Fetch waiting on one reads what is stored when its wait runs out.
export const LOGS_CONTRACT: MessageContract<LogsMessage> = {
  name: 'logs',
  schemaVersion: 1,
  stamp: (message) => ({ ...message, schemaVersion: 1 }),
  parse: (value) =>
    typeof value === 'object' && value !== null && 'barrier' in value ? LOG_BARRIER_CONTRACT.parse(value) : LOG_LINE_CONTRACT.parse(value),
};

/** The producers' side: a log line with this build's schemaVersion. */
export const logLineMessage = <L extends LogLine>(line: L) => LOGS_CONTRACT.stamp(line);

/** The producers' side: a barrier with this build's schemaVersion. */
export const logBarrierMessage = (barrier: LogBarrier) => LOGS_CONTRACT.stamp(barrier);

/** A line or a barrier off the logs topic; throws PoisonMessageError. */
export const parseLogsMessage = (value: unknown): LogsMessage => LOGS_CONTRACT.parse(value);

/** A log line off the logs topic (a barrier is refused as not one). */
export const parseLogLine = (value: unknown): LogLine => {
  const message = LOGS_CONTRACT.parse(value);
  if (isLogBarrier(message)) throw new PoisonMessageError('logs: a barrier, not a log line');
  return message;
};
