import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskRunPrefix } from '@chronicle/use-cases';
import { runnerOf } from '../catalog.js';
import { ioTestServices } from '../test-support/io-test-services.js';
import { splitLines } from './file.tasks.js';

let io: Awaited<ReturnType<typeof ioTestServices>>;
beforeAll(async () => {
  io = await ioTestServices('storage_tasks');
});
afterAll(async () => io.close());

const run = async (type: string, properties: Record<string, unknown>, extra = {}) => {
  const { context } = io.context(type, properties as never, extra);
  return runnerOf(type)!(context);
};
const put = (name: string, text: string) => io.services.storage.put(`kestra:///file/storage/${name}`, Buffer.from(text));
const text = async (uri: unknown) => (await io.services.storage.get(String(uri))).toString();
const content = (count: number) => Array.from({ length: count }, (_, i) => String(i).padStart(20));

describe('storage tasks (Kestra core/src/test/java/io/kestra/plugin/core/storage/*Test.java)', () => {
  it('Concat joins files with the separator after each, from a list or a JSON string (ConcatTest)', async () => {
    const uri = await put('get.yml', 'a: 1\nb: 2');
    for (const files of [[uri, uri], JSON.stringify([uri, uri])]) {
      const out = await run('storage.Concat', { files, separator: '\n', extension: '.yml' });
      expect(await text(out.uri)).toBe('a: 1\nb: 2\na: 1\nb: 2\n');
      expect(String(out.uri)).toMatch(/^kestra:\/\/\/company\/team\/etl\/executions\/e1\/tasks\/t1\/e1\.1\/[0-9a-f-]{36}\.yml$/);
    }
  });

  // Kestra docs example (plugins/core/tasks/storage/io.kestra.plugin.core.storage.write): content Hello World, extension .txt
  it('Write puts content into a file with the extension', async () => {
    const out = await run('storage.Write', { content: 'Hello World', extension: '.txt' });
    expect(String(out.uri)).toMatch(/^kestra:\/\/\/company\/team\/etl\/executions\/e1\/tasks\/t1\/e1\.1\/[0-9a-f-]{36}\.txt$/);
    expect(await text(out.uri)).toBe('Hello World');
  });

  it('Split by partitions, rows and bytes (SplitTest)', async () => {
    const from = await put('split.yml', content(1000).join('\n') + '\n');
    const parts = await run('storage.Split', { from, partitions: 8 });
    expect(parts.uris).toHaveLength(8);
    expect(String((parts.uris as string[])[0])).toMatch(/\.yml$/);
    const all = (await Promise.all((parts.uris as string[]).map(text))).join('');
    expect(all.split('\n').length - 1).toBe(1000);
    const rows = await run('storage.Split', { from, rows: 10 });
    expect(rows.uris).toHaveLength(100);
    expect((await Promise.all((rows.uris as string[]).map(text))).join('')).toBe(content(1000).join('\n') + '\n');
    // 12288 lines of 21 bytes, files of at least 1KB: 251 files, as Kestra's bytes() test says.
    expect(splitLines(content(12288), '\n', { bytes: '1KB' })).toHaveLength(251);
    await expect(run('storage.Split', { from })).rejects.toThrow('Invalid configuration with no size, count, nor rows');
  });

  it('Size, Delete with and without errorOnMissing (SizeTest, DeleteTest)', async () => {
    const uri = await put('size.txt', 'twelve bytes');
    expect(await run('storage.Size', { uri })).toEqual({ size: 12 });
    expect(await run('storage.Delete', { uri })).toEqual({ uri, deleted: true });
    expect(await run('storage.Delete', { uri })).toEqual({ uri, deleted: false });
    await expect(run('storage.Delete', { uri, errorOnMissing: true })).rejects.toThrow(`Unable to find file '${uri}'`);
    await expect(run('storage.Size', { uri })).rejects.toThrow('does not exist');
    await expect(run('storage.Size', { uri: '/etc/passwd' })).rejects.toThrow('must be an internal-storage URI');
  });

  it('Reverse writes the lines last to first and keeps the extension (ReverseTest)', async () => {
    const out = await run('storage.Reverse', { from: await put('get.yml', '1\n2\n3\n') });
    expect(String(out.uri)).toMatch(/\.yml$/);
    expect(await text(out.uri)).toBe('3\n2\n1\n');
  });

  it('DeduplicateItems keeps the last item of each key (DeduplicateItemsTest)', async () => {
    const items = [{ key: 'k1', v: 1 }, { key: 'k2', v: 1 }, { key: 'k1', v: 2 }, { key: 'k3', v: 1 }, { key: 'k2', v: 2 }];
    const from = await put('items.ion', items.map((i) => JSON.stringify(i)).join('\n') + '\n');
    const out = await run('storage.DeduplicateItems', { from, expr: '{{ key }}' }, { renderContext: renderContext() });
    expect(out).toMatchObject({ numKeys: 3, processedItemsTotal: 5, droppedItemsTotal: 2 });
    expect((await text(out.uri)).trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ key: 'k1', v: 2 }, { key: 'k3', v: 1 }, { key: 'k2', v: 2 }]);
  });

  it('FilterItems includes or excludes by a condition over each item, and follows errorOrNullBehavior (FilterItemsTest)', async () => {
    const valid = [1, 2, 3, 4].map((v) => JSON.stringify({ key: `k${v}`, value: v })).join('\n');
    const from = await put('valid.ion', valid + '\n');
    const include = await run('storage.FilterItems', { from, filterCondition: ' {{ value % 2 == 0 }} ', filterType: 'INCLUDE' }, { renderContext: renderContext() });
    expect(include).toMatchObject({ processedItemsTotal: 4, droppedItemsTotal: 2 });
    expect(await text(include.uri)).toBe('{"key":"k2","value":2}\n{"key":"k4","value":4}\n');
    const exclude = await run('storage.FilterItems', { from, filterCondition: ' {{ value % 2 == 0 }} ', filterType: 'EXCLUDE' }, { renderContext: renderContext() });
    expect(await text(exclude.uri)).toBe('{"key":"k1","value":1}\n{"key":"k3","value":3}\n');
    // The item's fields sit over the run's own variables.
    const byInput = await run('storage.FilterItems', { from, filterCondition: '{{ value > inputs.min }}' }, { renderContext: renderContext({ min: 2 }) });
    expect(byInput).toMatchObject({ droppedItemsTotal: 2 });
    const invalid = await put('invalid.ion', valid.replace('"value":2', '"value":"dummy"') + '\n');
    await expect(run('storage.FilterItems', { from: invalid, filterCondition: ' {{ value % 2 == 0 }}' }, { renderContext: renderContext() })).rejects.toThrow('failed on an item');
    const lenient = await run('storage.FilterItems', { from: invalid, filterCondition: ' {{ value % 2 == 0 }}', errorOrNullBehavior: 'INCLUDE' }, { renderContext: renderContext() });
    expect(await text(lenient.uri)).toBe('{"key":"k2","value":"dummy"}\n{"key":"k4","value":4}\n');
  });

  it('PurgeCurrentExecutionFiles deletes this execution\'s files only (PurgeCurrentExecutionFilesTest)', async () => {
    const mine = { namespace: 'company.team', flowId: 'etl', executionId: 'e1', taskId: 'x', taskRunId: 'e1.9' };
    await io.services.storage.put(`${taskRunPrefix(mine)}a.txt`, Buffer.from('a'));
    const other = `${taskRunPrefix({ ...mine, executionId: 'e2', taskRunId: 'e2.1' })}b.txt`;
    await io.services.storage.put(other, Buffer.from('b'));
    const out = await run('storage.PurgeCurrentExecutionFiles', {});
    expect(out.uris).toContain(`${taskRunPrefix(mine)}a.txt`);
    expect(out.uris).not.toContain(other);
    expect(await text(other)).toBe('b');
  });
});

const renderContext = (inputs: Record<string, unknown> = {}) => ({
  inputs, outputs: {}, execution: { id: 'e1', startDate: '2026-01-01T00:00:00.000Z', originalId: 'e1' },
  flow: { id: 'etl', namespace: 'company.team', revision: 1 }, labels: {}, now: '2026-01-01T00:00:00.000Z',
}) as never;
