import { LOG_LEVELS, type LogLevel } from '@chronicle/domain';
import { z } from 'zod';
import { messageContract } from './message-contract.js';

/**
 * The `logs` topic, keyed by execution id: one line of a task run's log, from the worker (its
 * task's lines), the executor (a local task's lines) and the relay (the ERROR line of a failure),
 * to the log projection, which stores it and announces it on `updates` (updates.ts, `LogUpdate`).
 * The one declaration of a log line on the bus.
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
 * A barrier through the log pipeline (log.Fetch's): sent keyed by the execution id after every line
 * of that execution that must be stored first, so the projection, which reads the partition in
 * order, has stored them all when it records the barrier (log_barriers) instead of a line.
 */
export interface LogBarrier extends LogLine {
  readonly barrier: string;
}

export type LogsMessage = LogLine | LogBarrier;

export const isLogBarrier = (message: LogsMessage): message is LogBarrier => typeof (message as LogBarrier).barrier === 'string';

export const LOGS_CONTRACT = messageContract<LogsMessage>('logs', 1, z.object({ ...LOG_LINE_FIELDS, barrier: z.string().min(1).optional() }));

/** The barrier message for an execution (a TRACE line with no text to an older projection). */
export const logBarrierMessage = (executionId: string, barrier: string, timestamp: string) =>
  LOGS_CONTRACT.stamp({ executionId, level: 'TRACE', message: '', timestamp, barrier });

/** The producers' side: a log line with this build's schemaVersion. */
export const logLineMessage = <L extends LogLine>(line: L) => LOGS_CONTRACT.stamp(line);

export const parseLogLine = (value: unknown): LogsMessage => LOGS_CONTRACT.parse(value);
