import type { ExecutionView, ReadModelQueries } from '@chronicle/read-model';

/** How deep a tree walk goes (a Subflow chain deeper than this is cut; the domain allows no cycles). */
export const MAX_TREE_DEPTH = 20;
/** At most this many descendants are answered. */
export const MAX_DESCENDANTS = 2_000;

/** Every execution below `executionId`, breadth first (each level oldest first), from the read model. */
export async function collectDescendants(readModel: Pick<ReadModelQueries, 'listExecutions'>, executionId: string): Promise<ExecutionView[]> {
  const found: ExecutionView[] = [];
  let level = [executionId];
  for (let depth = 0; depth < MAX_TREE_DEPTH && level.length > 0 && found.length < MAX_DESCENDANTS; depth++) {
    const next: string[] = [];
    for (const parentId of level) {
      const page = await readModel.listExecutions({ parentId, first: 500 });
      for (const child of [...page.nodes].reverse()) {
        if (found.length >= MAX_DESCENDANTS) break;
        found.push(child);
        next.push(child.id);
      }
    }
    level = next;
  }
  return found;
}

/** The executions above `executionId`: its parent first, the top of its tree last (at most MAX_TREE_DEPTH). */
export async function collectAncestors(readModel: Pick<ReadModelQueries, 'getExecution'>, executionId: string): Promise<ExecutionView[]> {
  const found: ExecutionView[] = [];
  let parentId = (await readModel.getExecution(executionId))?.parentId;
  for (let depth = 0; parentId && depth < MAX_TREE_DEPTH; depth++) {
    const parent = await readModel.getExecution(parentId);
    if (!parent) break;
    found.push(parent);
    parentId = parent.parentId;
  }
  return found;
}
