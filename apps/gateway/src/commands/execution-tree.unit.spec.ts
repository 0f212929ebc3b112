import { describe, expect, it } from 'vitest';
import type { ExecutionView } from '@chronicle/read-model';
import { collectAncestors, collectDescendants } from './execution-tree.js';

/** A tree root > middle > (leaf1, leaf2), as the read model answers it (pages newest first). */
const views: Record<string, Partial<ExecutionView>> = {
  root: { id: 'root' },
  middle: { id: 'middle', parentId: 'root' },
  leaf1: { id: 'leaf1', parentId: 'middle' },
  leaf2: { id: 'leaf2', parentId: 'middle' },
};
const readModel = {
  getExecution: async (id: string) => views[id] as ExecutionView | undefined,
  listExecutions: async ({ parentId }: { parentId?: string }) => ({
    nodes: Object.values(views).filter((v) => v.parentId === parentId).reverse() as ExecutionView[],
  }),
};

describe('the execution tree over the read model', () => {
  it('ancestors: the parent first, the top last; none above the top or for an unknown id', async () => {
    expect((await collectAncestors(readModel, 'leaf2')).map((v) => v.id)).toEqual(['middle', 'root']);
    expect(await collectAncestors(readModel, 'root')).toEqual([]);
    expect(await collectAncestors(readModel, 'nope')).toEqual([]);
  });

  it('descendants: breadth first, each level oldest first', async () => {
    expect((await collectDescendants(readModel as never, 'root')).map((v) => v.id)).toEqual(['middle', 'leaf1', 'leaf2']);
    expect(await collectDescendants(readModel as never, 'leaf1')).toEqual([]);
  });
});
