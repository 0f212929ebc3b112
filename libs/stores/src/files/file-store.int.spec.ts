import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderStorage } from '../storage/local-folder-storage.js';
import { fileIdOf, fileReference, FileStore, FileTooLargeError, UPLOADS_PREFIX } from '@chronicle/use-cases';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'chronicle-files-'));
});
afterAll(async () => rm(folder, { recursive: true, force: true }));

describe('FileStore (uploads by id, kept in the internal storage)', () => {
  it('serves back by id what was put, with its name and type', async () => {
    const storage = new LocalFolderStorage(folder);
    const files = new FileStore(storage, 100);
    const id = await files.put('report', 'text/csv', Buffer.from('a,b\n'));
    expect(fileIdOf(fileReference(id))).toBe(id);
    expect(await files.get(id)).toEqual({ id, name: 'report', contentType: 'text/csv', size: 4, data: Buffer.from('a,b\n'), namespace: null });
    expect((await storage.list(`${UPLOADS_PREFIX}${id}/`)).map((f) => f.uri)).toEqual([`${UPLOADS_PREFIX}${id}/-/report`]);
    const scoped = await files.put('data.csv', 'text/csv', Buffer.from('x'), 'company.team');
    expect(await files.get(scoped)).toMatchObject({ name: 'data.csv', namespace: 'company.team' });
    expect(await files.get('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('refuses a file over the limit and a name that would climb folders', async () => {
    const files = new FileStore(new LocalFolderStorage(folder), 3);
    await expect(files.put('big', 'text/plain', Buffer.from('1234'))).rejects.toBeInstanceOf(FileTooLargeError);
    const id = await files.put('../x', 'text/plain', Buffer.from('ok'));
    expect((await files.get(id))?.name).toBe('.._x');
  });
});
