import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@chronicle/event-store';
import { auditRows } from '../projection/audit-rows.writer.js';
import { domainEvolve, foldExecutions } from '../projection/execution-fold.js';
import { executionIdOf } from '../projection/stream-names.js';
import { everyEventTypeLog } from '../test-support/every-event-type.log.js';
import { copyLine } from './copy-text.js';
import { mergeParts, threadOf } from './fold-workers.js';
import { AUDIT_COLUMNS, encodeShadowRows, lineEnds, utf8, type EncodedShadowRows } from './shadow-rows.encoder.js';

/** The log as a store would record it: positions in append order, revisions per stream. */
function recorded(): RecordedEvent[] {
  const revisions = new Map<string, bigint>();
  let position = 0n;
  return everyEventTypeLog(2).flatMap((request) => request.events.map((event) => {
    const revision = revisions.get(request.streamId) ?? 0n;
    revisions.set(request.streamId, revision + 1n);
    position += 3n;
    return { ...event, streamId: request.streamId, revision, position, recordedAt: '2026-01-01T00:00:00.000Z' };
  }));
}

const NOW = '2026-12-07T00:00:00.000Z';

function encodeWhole(events: readonly RecordedEvent[]) {
  const folded = foldExecutions(events, new Map(), domainEvolve, { liveUpdates: false });
  return encodeShadowRows(events, folded.executions, new Map(), folded.poison, NOW);
}

/** What the fold workers do: each folds and encodes its share, the flows' audit rows are encoded beside. */
function encodeInShares(events: readonly RecordedEvent[], threads: number) {
  const shares: RecordedEvent[][] = Array.from({ length: threads }, () => []);
  const others: RecordedEvent[] = [];
  for (const event of events) {
    const id = executionIdOf(event.streamId);
    if (id === undefined) others.push(event);
    else shares[threadOf(id, threads)]!.push(event);
  }
  const flowAudit = auditRows(others, []).map((row) => copyLine(AUDIT_COLUMNS, row as unknown as Record<string, unknown>)).join('');
  return mergeParts(shares.map(encodeWhole), utf8(flowAudit));
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const lines = (bytes: Uint8Array) => text(bytes).split('\n').filter((line) => line !== '').sort();
/** The execution lines one by one, as the ends cut them. */
const executionLines = (rows: EncodedShadowRows) => rows.executionEnds.map((end, i) => text(rows.executionLines.subarray(rows.executionEnds[i - 1] ?? 0, end)));

describe('a batch folded in shares', () => {
  it('encodes what the whole batch folded at once encodes: executions in the order of their first event, the stats summed', () => {
    const events = recorded();
    const whole = encodeWhole(events);
    expect(whole.executionEnds.length).toBeGreaterThan(20);
    // The ends cut whole lines: each one a row, ending with its newline.
    expect(executionLines(whole).every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1)).toBe(true);
    expect(executionLines(whole).join('')).toBe(text(whole.executionLines));
    for (const threads of [1, 2, 3, 5]) {
      const merged = encodeInShares(events, threads);
      // New rows take their `seq` in this order: it must be the log's.
      expect(executionLines(merged)).toEqual(executionLines(whole));
      expect(merged.executionEnds).toEqual(whole.executionEnds);
      expect(merged.executionFirsts).toEqual(whole.executionFirsts);
      expect(lines(merged.taskRunLines)).toEqual(lines(whole.taskRunLines));
      expect(lines(merged.auditLines)).toEqual(lines(whole.auditLines));
      expect(merged.deltas).toEqual(whole.deltas);
      expect(merged.poison).toEqual(whole.poison);
    }
  });

  it('cuts execution lines at byte offsets, multi-byte characters included', () => {
    expect(lineEnds(utf8('é\tx\n日本\n'))).toEqual([5, 12]);
  });

  it('gives an execution the same share every time, spread over every thread', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `0000-${i}`);
    expect(ids.map((id) => threadOf(id, 3))).toEqual(ids.map((id) => threadOf(id, 3)));
    expect(new Set(ids.map((id) => threadOf(id, 3)))).toEqual(new Set([0, 1, 2]));
  });
});
