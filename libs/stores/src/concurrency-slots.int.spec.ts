import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencySlots, type AdmissionRequest, type ConcurrencyPool } from './concurrency-slots.js';

let db: TestDatabase;
let poolA: pg.Pool;
let poolB: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('slots');
  // Two pools stand for two executor replicas (two processes, two sets of connections).
  poolA = new pg.Pool({ connectionString: db.url, max: 10 });
  poolB = new pg.Pool({ connectionString: db.url, max: 10 });
  // The database is dropped WITH (FORCE) after the pools end: a connection still closing then gets
  // Postgres's "terminating connection", which an idle pool reports as an 'error' event.
  for (const pool of [poolA, poolB]) pool.on('error', () => undefined);
  await new ConcurrencySlots(poolA).ensureSchema();
});
afterAll(async () => {
  await poolA.end();
  await poolB.end();
  await db.drop();
});

const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString();
const request = (executionId: string, pool: ConcurrencyPool, createdAt: string, more: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  executionId, pool, limit: 1, behavior: 'QUEUE', priority: 0, createdAt, ...more,
});

describe('ConcurrencySlots (real Postgres)', () => {
  it('admits up to the limit, queues the rest, and hands a freed slot to the oldest queued one', async () => {
    const slots = new ConcurrencySlots(poolA);
    const pool = { namespace: 'n', flowId: 'fifo', key: '' };
    expect(await slots.admit(request('e1', pool, at(1)))).toEqual({ admitted: true, running: 0 });
    // A redelivered AdvanceExecution finds its own reservation.
    expect(await slots.admit(request('e1', pool, at(1)))).toEqual({ admitted: true, running: 0 });
    expect(await slots.admit(request('e2', pool, at(2)))).toEqual({ admitted: false, running: 1 });
    expect(await slots.admit(request('e3', pool, at(3)))).toEqual({ admitted: false, running: 1 });
    expect(await slots.entries(pool)).toEqual([
      { executionId: 'e1', status: 'running' }, { executionId: 'e2', status: 'queued' }, { executionId: 'e3', status: 'queued' },
    ]);
    expect(await slots.release('e1', pool, 1)).toEqual(['e2']);
    // A redelivered release grants nothing new and names the granted one again.
    expect(await slots.release('e1', pool, 1)).toEqual(['e2']);
    // A newcomer does not overtake the queue, even while e2 has not started yet.
    expect(await slots.admit(request('e4', pool, at(4)))).toEqual({ admitted: false, running: 1 });
    expect(await slots.admit(request('e2', pool, at(2)))).toEqual({ admitted: true, running: 0 });
    expect(await slots.release('e2', pool, 1)).toEqual(['e3']);
    // Killing a queued execution takes it out of the queue.
    expect(await slots.release('e4', pool, 1)).toEqual(['e3']);
    expect(await slots.entries(pool)).toEqual([{ executionId: 'e3', status: 'granted' }]);
  });

  it('serves higher priority first, keeps pools per key apart, and never queues for CANCEL or FAIL', async () => {
    const slots = new ConcurrencySlots(poolA);
    const a = { namespace: 'n', flowId: 'keyed', key: 'a' };
    const b = { namespace: 'n', flowId: 'keyed', key: 'b' };
    expect((await slots.admit(request('k1', a, at(1)))).admitted).toBe(true);
    expect((await slots.admit(request('k2', b, at(2)))).admitted).toBe(true);
    expect((await slots.admit(request('k3', a, at(3)))).admitted).toBe(false);
    expect((await slots.admit(request('k4', a, at(4), { priority: 5 }))).admitted).toBe(false);
    expect(await slots.release('k1', a, 1)).toEqual(['k4']);
    const cancel = { namespace: 'n', flowId: 'cancel', key: '' };
    expect(await slots.admit(request('c1', cancel, at(1), { behavior: 'CANCEL' }))).toEqual({ admitted: true, running: 0 });
    expect(await slots.admit(request('c2', cancel, at(2), { behavior: 'CANCEL' }))).toEqual({ admitted: false, running: 1 });
    expect(await slots.entries(cancel)).toEqual([{ executionId: 'c1', status: 'running' }]);
  });

  it('never lets two replicas admitting at the same moment exceed the limit', async () => {
    const replicas = [new ConcurrencySlots(poolA), new ConcurrencySlots(poolB)];
    const pool = { namespace: 'n', flowId: 'race', key: '' };
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => replicas[i % 2]!.admit(request(`r${i}`, pool, at(i), { limit: 3 }))),
    );
    expect(outcomes.filter((o) => o.admitted)).toHaveLength(3);
    const entries = await replicas[0]!.entries(pool);
    expect(entries.filter((e) => e.status === 'running')).toHaveLength(3);
    expect(entries.filter((e) => e.status === 'queued')).toHaveLength(17);
  });
});
