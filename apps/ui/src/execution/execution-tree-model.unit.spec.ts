import { describe, expect, it } from 'vitest';
import type { TreeNode } from '../api/types.js';
import { treeRows } from './execution-tree-model.js';

const node = (id: string, parentId?: string): TreeNode => ({ id, namespace: 'n', flowId: id, state: 'SUCCESS', mode: 'PRODUCTIVE', parentId });

describe('execution tree rows', () => {
  it('puts each child under its parent, depth first, in the listed order', () => {
    const rows = treeRows(node('top'), [node('a', 'top'), node('b', 'top'), node('a1', 'a'), node('b1', 'b'), node('a2', 'a')]);
    expect(rows.map((r) => `${r.depth}:${r.node.id}`)).toEqual(['0:top', '1:a', '2:a1', '2:a2', '1:b', '2:b1']);
  });

  it('leaves out a descendant whose parent is not listed, and shows the top alone when it has none', () => {
    expect(treeRows(node('top'), [node('lost', 'elsewhere')]).map((r) => r.node.id)).toEqual(['top']);
  });
});
