import { describe, expect, it } from 'vitest';
import { resolveRange } from './dashboard-range.js';

describe('dashboard range', () => {
  const now = Date.parse('2026-01-01T12:34:56Z');
  it('ends a relative range at the next whole bucket and covers the period', () => {
    expect(resolveRange('hour', now)).toEqual({ from: '2026-01-01T11:36:00.000Z', to: '2026-01-01T12:36:00.000Z', bucketSeconds: 120 });
    expect(resolveRange('day', now)).toEqual({ from: '2025-12-31T13:00:00.000Z', to: '2026-01-01T13:00:00.000Z', bucketSeconds: 3600 });
  });
  it('takes a custom range as given, and none when it ends before it starts', () => {
    expect(resolveRange('custom', now, { from: '2026-01-01T10:00:00Z', to: '2026-01-01T11:00:00Z' })).toEqual({ from: '2026-01-01T10:00:00.000Z', to: '2026-01-01T11:00:00.000Z' });
    expect(resolveRange('custom', now, { from: '2026-01-01T11:00:00Z', to: '2026-01-01T10:00:00Z' })).toBeUndefined();
  });
});
