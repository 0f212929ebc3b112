import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvError, KvStore } from './kv-store.js';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabase('kv');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await new KvStore(pool).ensureSchema();
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

// Behaviour of Kestra's InternalKVStore (core/src/main/java/io/kestra/core/storages/kv/InternalKVStore.java)
describe('KvStore (real Postgres)', () => {
  it('keeps typed values per namespace', async () => {
    const kv = new KvStore(pool);
    await kv.put('company.team', 'my_key', { a: [1, 'x'] }, { now: t(0) });
    await kv.put('company.other', 'my_key', 42, { now: t(0) });
    expect((await kv.get('company.team', 'my_key', t(1)))?.value).toEqual({ a: [1, 'x'] });
    expect((await kv.get('company.other', 'my_key', t(1)))?.value).toBe(42);
    expect(await kv.get('company.team', 'missing', t(1))).toBeUndefined();
  });

  it('refuses to replace a key when overwrite is false, unless the old value has expired', async () => {
    const kv = new KvStore(pool);
    await kv.put('ow', 'k', 'first', { now: t(0) });
    await expect(kv.put('ow', 'k', 'second', { now: t(1), overwrite: false })).rejects.toThrow("Cannot set value for key 'k'. Key already exists and `overwrite` is set to `false`.");
    await kv.put('ow', 'k', 'third', { now: t(1) });
    expect((await kv.get('ow', 'k', t(2)))?.value).toBe('third');
    await kv.put('ow', 'short', 'v', { now: t(0), ttlMs: 1000 });
    await kv.put('ow', 'short', 'again', { now: t(5), overwrite: false });
    expect((await kv.get('ow', 'short', t(5)))?.value).toBe('again');
  });

  it('lets a value expire after its TTL: missing for get, list and delete', async () => {
    const kv = new KvStore(pool);
    await kv.put('ttl', 'a', 1, { now: t(0), ttlMs: 10_000 });
    await kv.put('ttl', 'b', 2, { now: t(0) });
    expect((await kv.get('ttl', 'a', t(9)))?.expiresAt).toBe(t(10));
    expect((await kv.list('ttl', t(9))).map((e) => e.key)).toEqual(['a', 'b']);
    expect((await kv.list('ttl', t(10))).map((e) => e.key)).toEqual(['b']);
    expect(await kv.get('ttl', 'a', t(11))).toBeUndefined();
    expect(await kv.delete('ttl', 'b', t(11))).toBe(true);
    expect(await kv.delete('ttl', 'b', t(11))).toBe(false);
  });

  it('refuses keys outside Kestra\'s pattern', async () => {
    const kv = new KvStore(pool);
    await expect(kv.put('n', '_bad', 1, { now: t(0) })).rejects.toBeInstanceOf(KvError);
    await expect(kv.get('n', 'a/b', t(0))).rejects.toThrow('must start with an alphanumeric character');
  });
});
