import { parseIsoDuration } from '../expression/iso-8601.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Apache's DurationFormatUtils.formatDurationHMS: `HH:mm:ss.SSS`, hours unbounded. */
export const formatDurationHms = (ms: number): string => {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(ms % 1000, 3)}`;
};

/**
 * The error of a task run its `timeout` stopped: Kestra's words first (TimeoutExceededException,
 * `Timeout after 00:00:01.000`, which users and Kestra's tests look for), then which task and timeout.
 */
export const timeoutMessage = (taskId: string, timeout: string | undefined): string => {
  const ms = timeout === undefined ? undefined : parseIsoDuration(timeout);
  const after = ms === undefined ? '' : ` ${formatDurationHms(ms)}`;
  return `Timeout after${after}: task ${taskId} ran longer than its timeout ${timeout ?? ''}`.trimEnd();
};
