import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageFileNotFoundError, InvalidStorageUriError, type InternalStorage } from '@chronicle/use-cases';
import { LocalFolderStorage } from './local-folder-storage.js';
import { PostgresChunkedStorage } from './postgres-chunked-storage.js';
import { executionPrefix, taskFileUri } from '@chronicle/use-cases';

let db: TestDatabase;
let pool: pg.Pool;
let folder: string;

beforeAll(async () => {
  db = await createTestDatabase('storage');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await new PostgresChunkedStorage(pool).ensureSchema();
  folder = await mkdtemp(join(tmpdir(), 'chronicle-storage-'));
});
afterAll(async () => {
  await pool.end();
  await db.drop();
  await rm(folder, { recursive: true, force: true });
});

const run = { namespace: 'company.team', flowId: 'etl', executionId: 'ex1' };
const file = (name: string, taskRunId = 'ex1.1') => taskFileUri({ ...run, taskId: 't1', taskRunId }, name);

// One contract, every adapter (the same way the event stores share theirs).
describe.each([
  ['a folder (standalone)', () => new LocalFolderStorage(folder) as InternalStorage],
  // A 7-byte chunk size makes every test file span several chunks.
  ['Postgres, chunked (distributed)', () => new PostgresChunkedStorage(pool, 7) as InternalStorage],
])('internal storage in %s', (_name, make) => {
  it('stores and reads back a file at Kestra\'s task-run URI, with its size', async () => {
    const storage = make();
    const uri = file('out.csv');
    expect(uri).toBe('kestra:///company/team/etl/executions/ex1/tasks/t1/ex1.1/out.csv');
    expect(await storage.put(uri, Buffer.from('a,b\n1,2\n3,4\n'), 'text/csv')).toBe(uri);
    expect((await storage.get(uri)).toString()).toBe('a,b\n1,2\n3,4\n');
    expect(await storage.stat(uri)).toEqual({ uri, size: 12, contentType: 'text/csv' });
    const typed = file('report');
    await storage.put(typed, Buffer.from('x'), 'text/csv');
    expect((await storage.stat(typed))?.contentType).toBe('text/csv');
    expect((await storage.list(typed.slice(0, typed.lastIndexOf('/') + 1))).map((f) => [f.uri, f.contentType])).toContainEqual([typed, 'text/csv']);
  });

  it('replaces a file written twice and keeps empty files', async () => {
    const storage = make();
    const uri = file('twice.txt');
    await storage.put(uri, Buffer.from('first version, longer than one chunk'));
    await storage.put(uri, Buffer.from('second'));
    expect((await storage.get(uri)).toString()).toBe('second');
    await storage.put(file('empty.txt'), Buffer.alloc(0));
    expect((await storage.get(file('empty.txt'))).length).toBe(0);
    expect((await storage.stat(file('empty.txt')))?.size).toBe(0);
  });

  it('says a missing file is missing', async () => {
    const storage = make();
    await expect(storage.get(file('nope.txt'))).rejects.toBeInstanceOf(StorageFileNotFoundError);
    expect(await storage.stat(file('nope.txt'))).toBeUndefined();
    expect(await storage.delete(file('nope.txt'))).toBe(false);
  });

  it('lists and deletes an execution\'s files by prefix, and only those', async () => {
    const storage = make();
    const other = taskFileUri({ ...run, executionId: 'ex10', taskId: 't1', taskRunId: 'ex10.1' }, 'keep.txt');
    await storage.put(file('a.txt', 'ex1.2'), Buffer.from('a'));
    await storage.put(file('b.txt', 'ex1.3'), Buffer.from('bb'));
    await storage.put(other, Buffer.from('other execution'));
    const listed = await storage.list(executionPrefix(run));
    expect(listed.map((f) => f.uri)).toEqual(expect.arrayContaining([file('a.txt', 'ex1.2'), file('b.txt', 'ex1.3')]));
    expect(listed.map((f) => f.uri)).not.toContain(other);
    // A prefix is a folder: execution ex1 is not a prefix of ex10.
    expect(await storage.deleteByPrefix('kestra:///company/team/etl/executions/ex1/tasks/none')).toEqual([]);
    const deleted = await storage.deleteByPrefix(executionPrefix(run).slice(0, -1));
    expect(deleted).toEqual(listed.map((f) => f.uri));
    expect(await storage.list(executionPrefix(run))).toEqual([]);
    expect((await storage.get(other)).toString()).toBe('other execution');
    expect(await storage.delete(other)).toBe(true);
  });

  it('refuses URIs that are not kestra:/// or that climb out with ..', async () => {
    const storage = make();
    await expect(storage.put('file:///etc/passwd', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidStorageUriError);
    await expect(storage.get('kestra:///a/../../etc/passwd')).rejects.toBeInstanceOf(InvalidStorageUriError);
    await expect(storage.put('kestra:///a//b', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidStorageUriError);
  });
});

describe('PostgresChunkedStorage', () => {
  it('keeps a file in rows of the chunk size, shared by every pool on the database', async () => {
    const writer = new PostgresChunkedStorage(pool, 4);
    const uri = file('chunks.bin', 'ex9.1');
    await writer.put(uri, Buffer.from('0123456789'));
    const rows = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM storage_chunks WHERE uri = $1', [uri]);
    expect(rows.rows[0]!.n).toBe(3);
    const otherProcess = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      expect((await new PostgresChunkedStorage(otherProcess).get(uri)).toString()).toBe('0123456789');
    } finally {
      await otherProcess.end();
    }
  });
});
