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

export const LOGS_CONTRACT = messageContract<LogLine>('logs', 1, z.object(LOG_LINE_FIELDS));

/** The producers' side: a log line with this build's schemaVersion. */
export const logLineMessage = <L extends LogLine>(line: L) => LOGS_CONTRACT.stamp(line);

export const parseLogLine = (value: unknown): LogLine => LOGS_CONTRACT.parse(value);
