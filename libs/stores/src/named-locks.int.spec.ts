import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LockClaimRequest } from '@chronicle/use-cases';
import { NamedLocks } from './named-locks.js';

let db: TestDatabase;
let poolA: pg.Pool;
let poolB: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('named_locks');
  // Two pools stand for two executor replicas.
  poolA = new pg.Pool({ connectionString: db.url, max: 10 });
  poolB = new pg.Pool({ connectionString: db.url, max: 10 });
  for (const pool of [poolA, poolB]) pool.on('error', () => undefined);
  await new NamedLocks(poolA).ensureSchema();
  // The lease sweep joins the read model's tables: the shape it reads, nothing more.
  await poolA.query('CREATE TABLE executions (id text PRIMARY KEY, state text NOT NULL)');
  await poolA.query('CREATE TABLE task_runs (id text PRIMARY KEY, state text NOT NULL)');
});
afterAll(async () => {
  await poolA.end();
  await poolB.end();
  await db.drop();
});

const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s)).toISOString();
const claim = (holder: string, names: string[], s: number, more: Partial<LockClaimRequest> = {}): LockClaimRequest => ({
  executionId: holder.split('.')[0]!, holder, names, namespace: 'ops', flowId: 'f', priority: 0, requestedAt: at(s), ...more,
});
const holders = (grants: { holder: string }[]) => grants.map((g) => g.holder);

describe('NamedLocks (real Postgres)', () => {
  it('grants a free lock, queues the next claims FIFO and hands the lock on at release', async () => {
    const locks = new NamedLocks(poolA);
    expect(holders(await locks.acquire(claim('a1', ['fifo'], 1)))).toEqual(['a1']);
    // A redelivered request answers the same grant again.
    expect(holders(await locks.acquire(claim('a1', ['fifo'], 1)))).toEqual(['a1']);
    expect(holders(await locks.acquire(claim('a2', ['fifo'], 2)))).toEqual([]);
    expect(holders(await locks.acquire(claim('a3', ['fifo'], 3)))).toEqual([]);
    const [view] = await locks.list({ names: ['fifo'] });
    expect(view!.holder?.holder).toBe('a1');
    expect(view!.waiters.map((w) => w.holder)).toEqual(['a2', 'a3']);
    expect(holders(await locks.release('a1'))).toEqual(['a2']);
    // A redelivered release grants nothing new.
    expect(holders(await locks.release('a1'))).toEqual([]);
    expect(holders(await locks.release('a2'))).toEqual(['a3']);
    await locks.release('a3');
  });

  it('puts a higher priority first, equal priorities in the order they asked', async () => {
    const locks = new NamedLocks(poolA);
    await locks.acquire(claim('p1', ['prio'], 1));
    await locks.acquire(claim('p2', ['prio'], 2));
    await locks.acquire(claim('p3', ['prio'], 3, { priority: 5 }));
    await locks.acquire(claim('p4', ['prio'], 4, { priority: 5 }));
    expect(holders(await locks.release('p1'))).toEqual(['p3']);
    expect(holders(await locks.release('p3'))).toEqual(['p4']);
    expect(holders(await locks.release('p4'))).toEqual(['p2']);
    await locks.release('p2');
  });

  it('a priority change moves an execution\'s waiting claims in the queue; a held claim keeps its lock', async () => {
    const locks = new NamedLocks(poolA);
    await locks.acquire(claim('r1', ['reorder'], 1));
    await locks.acquire(claim('r2', ['reorder'], 2));
    await locks.acquire(claim('r3.0', ['reorder'], 3));
    // The task run's claim belongs to execution r3: it overtakes r2.
    expect(await locks.reprioritize('r3', 4)).toEqual([]);
    expect((await locks.list({ names: ['reorder'] }))[0]!.waiters.map((w) => [w.holder, w.priority])).toEqual([['r3.0', 4], ['r2', 0]]);
    // The holder's own priority changes nothing of what it holds; the same priority again moves nothing.
    expect(await locks.reprioritize('r1', 9)).toEqual([]);
    expect(await locks.reprioritize('r3', 4)).toEqual([]);
    expect((await locks.list({ names: ['reorder'] }))[0]!.holder?.holder).toBe('r1');
    expect(holders(await locks.release('r1'))).toEqual(['r3.0']);
    expect(holders(await locks.release('r3.0'))).toEqual(['r2']);
    await locks.release('r2');
  });

  it('a waiting claim held back only by an earlier claim on a shared lock is granted when a priority change puts it first', async () => {
    const locks = new NamedLocks(poolA);
    await locks.acquire(claim('s1', ['shared-a'], 1));
    // s2 waits for shared-a and shared-b; s3 only wants shared-b, free, but s2 is first in line on it.
    expect(holders(await locks.acquire(claim('s2', ['shared-a', 'shared-b'], 2)))).toEqual([]);
    expect(holders(await locks.acquire(claim('s3', ['shared-b'], 3)))).toEqual([]);
    expect(holders(await locks.reprioritize('s3', 1))).toEqual(['s3']);
    await Promise.all(['s1', 's3', 's2'].map((h) => locks.release(h)));
  });

  it('grants a claim of several locks whole or not at all, and never lets a later claim overtake it', async () => {
    const locks = new NamedLocks(poolA);
    expect(holders(await locks.acquire(claim('h', ['x'], 1)))).toEqual(['h']);
    // w wants x and y: x is held, so it holds NEITHER (y stays free for no one behind w).
    expect(holders(await locks.acquire(claim('w', ['x', 'y'], 2)))).toEqual([]);
    expect((await locks.list({ names: ['y'] }))[0]!.holder).toBeUndefined();
    // v only wants y, but w asked first for it: v waits too (no starvation of w).
    expect(holders(await locks.acquire(claim('v', ['y'], 3)))).toEqual([]);
    // An unrelated lock is not held up.
    expect(holders(await locks.acquire(claim('u', ['z'], 4)))).toEqual(['u']);
    expect(holders(await locks.release('h'))).toEqual(['w']);
    expect(holders(await locks.release('w'))).toEqual(['v']);
    await Promise.all(['v', 'u'].map((h) => locks.release(h)));
  });

  it('two replicas asking at once for crossed locks: one holds both, the other holds none (no deadlock)', async () => {
    const [a, b] = [new NamedLocks(poolA), new NamedLocks(poolB)];
    const results = await Promise.all([
      a.acquire(claim('c1', ['cross-1', 'cross-2'], 1)),
      b.acquire(claim('c2', ['cross-1', 'cross-2'], 1)),
    ]);
    const granted = results.flatMap(holders);
    expect(granted).toHaveLength(1);
    const [winner, loser] = granted[0] === 'c1' ? ['c1', 'c2'] : ['c2', 'c1'];
    expect(holders(await (winner === 'c1' ? a : b).release(winner!))).toEqual([loser]);
    await a.release(loser!);
  });

  it('force-release takes one lock from its holder and grants the next waiter', async () => {
    const locks = new NamedLocks(poolA);
    await locks.acquire(claim('f1', ['forced', 'kept'], 1));
    await locks.acquire(claim('f2', ['forced'], 2));
    const { previous, granted } = await locks.forceRelease('ops', 'forced');
    expect(previous?.holder).toBe('f1');
    expect(holders(granted)).toEqual(['f2']);
    expect((await locks.holderOf('ops', 'kept'))?.holder).toBe('f1');
    expect((await locks.forceRelease('ops', 'nobody-holds-this')).previous).toBeUndefined();
    await Promise.all(['f1', 'f2'].map((h) => locks.release(h)));
  });

  it('keeps locks per namespace: the same name in two namespaces is two locks, each held, listed and released on its own', async () => {
    const locks = new NamedLocks(poolA);
    expect(holders(await locks.acquire(claim('na1', ['db'], 1, { namespace: 'teamA' })))).toEqual(['na1']);
    // teamB's `db` is another lock: granted at once, though teamA holds its `db`.
    expect(holders(await locks.acquire(claim('nb1', ['db'], 2, { namespace: 'teamB' })))).toEqual(['nb1']);
    expect(holders(await locks.acquire(claim('na2', ['db'], 3, { namespace: 'teamA' })))).toEqual([]);
    // A claim on both a free and a foreign-held name is not held up by the other namespace.
    expect(holders(await locks.acquire(claim('nb2', ['db-2'], 4, { namespace: 'teamB' })))).toEqual(['nb2']);
    const all = (await locks.list({ names: ['db'] })).map((l) => [l.namespace, l.name, l.holder?.holder, l.waiters.map((w) => w.holder)]);
    expect(all).toEqual([['teamA', 'db', 'na1', ['na2']], ['teamB', 'db', 'nb1', []]]);
    // Filtered by namespace in the query: another namespace's claims never come back.
    expect((await locks.list({ namespaces: ['teamB'] })).map((l) => [l.namespace, l.name])).toEqual([['teamB', 'db'], ['teamB', 'db-2']]);
    expect((await locks.holderOf('teamB', 'db'))?.holder).toBe('nb1');
    // Releasing teamB's `db` hands nothing of teamA's on.
    const { previous, granted } = await locks.forceRelease('teamB', 'db');
    expect(previous?.holder).toBe('nb1');
    expect(holders(granted)).toEqual([]);
    expect((await locks.holderOf('teamA', 'db'))?.holder).toBe('na1');
    expect(holders(await locks.release('na1'))).toEqual(['na2']);
    await Promise.all(['na2', 'nb1', 'nb2'].map((h) => locks.release(h)));
  });

  it('the lease sweep finds claims of ended or vanished holders once they are older than the lease', async () => {
    const locks = new NamedLocks(poolA);
    await poolA.query(`INSERT INTO executions VALUES ('s1', 'KILLED'), ('s2', 'RUNNING'), ('s3', 'RUNNING')`);
    await poolA.query(`INSERT INTO task_runs VALUES ('s3.0', 'FAILED')`);
    await locks.acquire(claim('s1', ['lease-1'], 1));
    await locks.acquire(claim('s2', ['lease-2'], 1));
    await locks.acquire(claim('s3.0', ['lease-3'], 1, { taskRunId: 's3.0' }));
    await locks.acquire(claim('gone', ['lease-4'], 1));
    const stale = await locks.stale(new Date(Date.now() + 60_000));
    expect(stale.map((c) => c.holder).sort()).toEqual(['gone', 's1', 's3.0']);
    // Younger than the lease: not yet.
    expect(await locks.stale(new Date(Date.UTC(2000, 0, 1)))).toEqual([]);
    await Promise.all(['s1', 's2', 's3.0', 'gone'].map((h) => locks.release(h)));
  });
});
