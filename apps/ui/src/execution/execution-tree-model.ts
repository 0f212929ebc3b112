import type { TreeNode } from '../api/types.js';

export interface TreeRow {
  node: TreeNode;
  /** 0 for the top execution, 1 for its children... */
  depth: number;
}

/**
 * The rows of an execution tree, depth first (each child right under its parent, children in the
 * order the API lists them: oldest first). A descendant whose parent is not in the list (the
 * API stops at 20 levels) is left out rather than shown in the wrong place.
 */
export function treeRows(top: TreeNode, descendants: readonly TreeNode[]): TreeRow[] {
  const byParent = new Map<string, TreeNode[]>();
  for (const node of descendants) {
    if (!node.parentId) continue;
    const siblings = byParent.get(node.parentId) ?? [];
    siblings.push(node);
    byParent.set(node.parentId, siblings);
  }
  const rows: TreeRow[] = [];
  const seen = new Set<string>();
  const visit = (node: TreeNode, depth: number) => {
    if (seen.has(node.id)) return;
    seen.add(node.id);
    rows.push({ node, depth });
    for (const child of byParent.get(node.id) ?? []) visit(child, depth + 1);
  };
  visit(top, 0);
  return rows;
}
