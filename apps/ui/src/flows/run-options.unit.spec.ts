import { describe, expect, it } from 'vitest';
import { EMPTY_RUN_OPTIONS, parseRunOptions } from './run-options.js';

const NOW = new Date('2026-01-01T10:00:00Z');

describe('run options of the run form', () => {
  it('sends nothing when nothing is filled (the flow decides)', () => {
    expect(parseRunOptions(EMPTY_RUN_OPTIONS, NOW)).toEqual({ options: {}, errors: {} });
  });

  it('sends a trimmed name, a whole priority, a normalised duration and the start time in UTC', () => {
    const later = new Date(NOW.getTime() + 3_600_000);
    const { options, errors } = parseRunOptions({ name: ' nightly ', priority: '7', maxRuntime: 'pt10m', scheduledAt: later.toISOString() }, NOW);
    expect(errors).toEqual({});
    expect(options).toEqual({ name: 'nightly', priority: 7, maxRuntime: 'PT10M', scheduledAt: later.toISOString() });
  });

  it('names each wrong field and what to write instead', () => {
    const { options, errors } = parseRunOptions({ name: '', priority: '-1', maxRuntime: '10 minutes', scheduledAt: '2025-12-31T09:00' }, NOW);
    expect(options).toEqual({});
    expect(errors.priority).toMatch(/0 or more/);
    expect(errors.maxRuntime).toMatch(/PT10M/);
    expect(errors.scheduledAt).toMatch(/future/);
    expect(parseRunOptions({ ...EMPTY_RUN_OPTIONS, priority: '1.5', maxRuntime: 'PT0S' }, NOW).errors).toEqual({
      priority: expect.stringMatching(/whole number/), maxRuntime: expect.stringMatching(/above zero/),
    });
    expect(parseRunOptions({ ...EMPTY_RUN_OPTIONS, maxRuntime: 'P' }, NOW).errors.maxRuntime).toBeDefined();
    expect(parseRunOptions({ ...EMPTY_RUN_OPTIONS, maxRuntime: 'PT' }, NOW).errors.maxRuntime).toBeDefined();
  });
});
