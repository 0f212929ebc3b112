import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namespaceFilesPrefix, namespaceFileUri } from '@chronicle/use-cases';
import { runnerOf } from '../catalog.js';
import { ioTestServices } from '../test-support/io-test-services.js';
import { pathMatcher } from './path-matcher.js';

let io: Awaited<ReturnType<typeof ioTestServices>>;
beforeAll(async () => {
  io = await ioTestServices('namespace_files');
});
afterAll(async () => io.close());

const run = (type: string, properties: Record<string, unknown>) => runnerOf(type)!(io.context(type, properties as never).context);
const nsFiles = async (ns: string) => (await io.services.storage.list(namespaceFilesPrefix(ns))).map((f) => f.uri.slice(namespaceFilesPrefix(ns).length - 1));
const putNs = (ns: string, path: string, text: string) => io.services.storage.put(namespaceFileUri(ns, path), Buffer.from(text));

// Kestra: core/src/test/java/io/kestra/plugin/core/namespace/{Upload,Download,Delete}FilesTest.java
describe('namespace files tasks', () => {
  it('matches paths as Kestra\'s PathMatcherPredicate does', () => {
    expect(pathMatcher(['**test1.txt'])('/a/b/test1.txt')).toBe(true);
    expect(pathMatcher(['**test1*'])('/a/b/test2.txt')).toBe(false);
    expect(pathMatcher(['scripts/*.sql'])('/deep/scripts/a.sql')).toBe(true);
    expect(pathMatcher(['/scripts/*.sql'])('/scripts/sub/a.sql')).toBe(false);
    expect(pathMatcher(['glob:/{a,b}/*.txt'])('/b/x.txt')).toBe(true);
    expect(pathMatcher(['regex:/a/.*\\.txt'])('/a/b/c.txt')).toBe(true);
  });

  it('UploadFiles puts filesMap under the destination and follows conflict (UploadFilesTest)', async () => {
    const source = await io.services.storage.put('kestra:///some/source/file.txt', Buffer.from('v1'));
    await run('namespace.UploadFiles', { namespace: 'up.ns', filesMap: { '/path/file.txt': source }, conflict: 'ERROR', destination: '/folder' });
    expect(await nsFiles('up.ns')).toEqual(['/folder/path/file.txt']);
    await expect(run('namespace.UploadFiles', { namespace: 'up.ns', filesMap: { '/path/file.txt': source }, conflict: 'ERROR', destination: '/folder' })).rejects.toThrow('already exists');
    await io.services.storage.put(source, Buffer.from('v2'));
    await run('namespace.UploadFiles', { namespace: 'up.ns', filesMap: { '/path/file.txt': source }, conflict: 'SKIP', destination: '/folder' });
    expect((await io.services.storage.get(namespaceFileUri('up.ns', '/folder/path/file.txt'))).toString()).toBe('v1');
    await run('namespace.UploadFiles', { namespace: 'up.ns', filesMap: JSON.stringify({ '/path/file.txt': source }), destination: '/folder' });
    expect((await io.services.storage.get(namespaceFileUri('up.ns', '/folder/path/file.txt'))).toString()).toBe('v2');
  });

  it('DownloadFiles copies matching files into the task run\'s storage, keyed by path (DownloadFilesTest)', async () => {
    await putNs('down.ns', '/a/b/test1.txt', '1');
    await putNs('down.ns', '/a/b/test2.txt', '2');
    const { context, metrics } = io.context('namespace.DownloadFiles', { namespace: 'down.ns', files: ['**test1.txt'] });
    const out = await runnerOf('namespace.DownloadFiles')!(context);
    expect(Object.keys(out.files as object)).toEqual(['/a/b/test1.txt']);
    const uri = (out.files as Record<string, string>)['/a/b/test1.txt']!;
    expect(uri).toBe('kestra:///company/team/etl/executions/e1/tasks/t1/e1.1/a/b/test1.txt');
    expect((await io.services.storage.get(uri)).toString()).toBe('1');
    expect(metrics).toEqual([{ name: 'downloaded', type: 'counter', value: 1 }]);
  });

  it('DeleteFiles deletes the matching files only (DeleteFilesTest)', async () => {
    await putNs('del.ns', '/a/b/test1.txt', '1');
    await putNs('del.ns', '/a/b/test2.txt', '2');
    await run('namespace.DeleteFiles', { namespace: 'del.ns', files: ['**test1*'] });
    expect(await nsFiles('del.ns')).toEqual(['/a/b/test2.txt']);
  });
});
