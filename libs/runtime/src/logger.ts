import { pino, type Logger } from 'pino';
import { traceIds } from './tracing.js';

export type { Logger } from 'pino';

/**
 * Structured JSON logs on stdout: `service` on every line, correlation and execution ids from
 * the child loggers of the code that handles a command or an execution, and (with tracing on)
 * the active span's `traceId` and `spanId`, so a log line leads to its trace.
 */
export function createLogger(service: string, level: string = process.env.CHRONICLE_LOG_LEVEL ?? 'info'): Logger {
  // The logger exists before the configuration is validated (to report it): a level pino does
  // not know must not crash inside pino; loadConfig names the bad CHRONICLE_LOG_LEVEL instead.
  if (!(level in pino.levels.values) && level !== 'silent') level = 'info';
  return pino({ name: service, level, base: { service, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, mixin: () => traceIds() });
}
