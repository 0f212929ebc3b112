import { describe, expect, it } from 'vitest';
import type { TaskServices } from '../task-services.js';
import { taskContext } from '../test-support/task-test-context.js';
import { splitItems } from './batches.js';
import { forEachItemMergeTask, forEachItemSplitTask } from './for-each-item.tasks.js';

/** The storage port's put/get over a Map: the tasks' own logic is what these tests check. */
const memoryStorage = (files: Record<string, string> = {}) => {
  const data = new Map<string, Buffer>(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)]));
  return {
    data,
    put: async (uri: string, content: Buffer) => (data.set(uri, content), uri),
    get: async (uri: string) => {
      const found = data.get(uri);
      if (found === undefined) throw new Error(`file ${uri} does not exist in the internal storage`);
      return found;
    },
  };
};

const withStorage = (type: string, properties: Record<string, unknown>, storage: ReturnType<typeof memoryStorage>) => {
  const { context, logs } = taskContext(type, properties as never, { taskId: 'each_split', taskRunId: 'e1.1' });
  // The split and merge tasks use the storage only: the other services stay out, so a use of one fails the test.
  return { context: { ...context, services: { storage } as unknown as TaskServices }, logs };
};

describe('ForEachItem batches', () => {
  it('cuts lines into batches of rows, bytes or partitions', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `item${i}`).join('\n') + '\n';
    expect(splitItems(lines, { rows: 4 })).toEqual(['item0\nitem1\nitem2\nitem3\n', 'item4\nitem5\nitem6\nitem7\n', 'item8\nitem9\n']);
    expect(splitItems(lines, {})).toHaveLength(10);
    expect(splitItems(lines, { partitions: 3 })).toEqual(['item0\nitem3\nitem6\nitem9\n', 'item1\nitem4\nitem7\n', 'item2\nitem5\nitem8\n']);
    expect(splitItems(lines, { bytes: 12 })).toEqual(['item0\nitem1\n', 'item2\nitem3\n', 'item4\nitem5\n', 'item6\nitem7\n', 'item8\nitem9\n']);
    expect(splitItems('a;b;c', { rows: 2, separator: ';' })).toEqual(['a;b;', 'c;']);
    expect(splitItems('', { rows: 2 })).toEqual([]);
  });
});

describe('ForEachItem split and merge tasks', () => {
  it('splits the items file of the internal storage (Kestra for-each-item.yaml: 4 rows per batch)', async () => {
    const items = 'kestra:///io/kestra/tests/for-each-item/executions/e1/inputs/file/items.txt';
    const storage = memoryStorage({ [items]: Array.from({ length: 102 }, (_, i) => `${i}`).join('\n') });
    const { context } = withStorage('ForEachItemSplit', { items, batch: { rows: '4' }, namespace: 'io.kestra.tests', flowId: 'for-each-item' }, storage);
    const outputs = await forEachItemSplitTask(context);
    const uris = outputs.uris as string[];
    expect(uris).toHaveLength(26);
    expect(uris[0]).toBe('kestra:///io/kestra/tests/for-each-item/executions/e1/tasks/each_split/e1.1/1.txt');
    expect(storage.data.get(uris[25]!)!.toString()).toBe('100\n101\n');
    expect(storage.data.get(outputs.splits as string)!.toString().split('\n')).toEqual(uris);
  });

  it('refuses items that are not an internal storage URI, and fails without a storage', async () => {
    const storage = memoryStorage();
    await expect(forEachItemSplitTask(withStorage('ForEachItemSplit', { items: '/tmp/x' }, storage).context)).rejects.toThrow('Unable to split the items from /tmp/x, this is not an internal storage URI!');
    await expect(forEachItemSplitTask(taskContext('ForEachItemSplit', { items: 'kestra:///a/b' }).context)).rejects.toThrow('needs the internal storage');
  });

  it('merges the subflows\' outputs into one file, and outputs nothing without any', async () => {
    const storage = memoryStorage();
    const { context } = withStorage('ForEachItemMergeOutputs', { subflowOutputs: [{ a: 1 }, { a: 2 }], namespace: 'n', flowId: 'f' }, storage);
    const outputs = await forEachItemMergeTask(context);
    expect(storage.data.get(outputs.subflowOutputs as string)!.toString()).toBe('{"a":1}\n{"a":2}\n');
    await expect(forEachItemMergeTask(withStorage('ForEachItemMergeOutputs', { subflowOutputs: [] }, storage).context)).resolves.toEqual({});
  });
});
