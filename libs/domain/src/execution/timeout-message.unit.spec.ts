import { describe, expect, it } from 'vitest';
import { formatDurationHms, timeoutMessage } from './timeout-message.js';

describe('the error of a task its timeout stopped', () => {
  it("starts with Kestra's words (TimeoutExceededException: `Timeout after` and HH:mm:ss.SSS)", () => {
    expect(timeoutMessage('test', 'PT0.0001S')).toBe('Timeout after 00:00:00.000: task test ran longer than its timeout PT0.0001S');
    expect(timeoutMessage('sleep', 'PT1H2M3.5S')).toBe('Timeout after 01:02:03.500: task sleep ran longer than its timeout PT1H2M3.5S');
  });

  it('counts hours past a day, as DurationFormatUtils.formatDurationHMS does', () => {
    expect(formatDurationHms(26 * 3_600_000 + 1)).toBe('26:00:00.001');
  });
});
