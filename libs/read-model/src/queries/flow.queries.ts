import type { EntityManager } from 'typeorm';
import type { FlowView } from './read-model.views.js';

interface FlowRow { namespace: string; id: string; revision: number; source: string; definition: unknown; deployed_at: Date }

/** The latest revision, or the given one. */
export async function getFlow(manager: EntityManager, namespace: string, id: string, revision?: number): Promise<FlowView | undefined> {
  const rows: FlowRow[] = revision === undefined
    ? await manager.query(
        'SELECT namespace, id, revision, source, definition, updated_at AS deployed_at FROM flows WHERE namespace = $1 AND id = $2',
        [namespace, id],
      )
    : await manager.query(
        'SELECT namespace, id, revision, source, definition, deployed_at FROM flow_revisions WHERE namespace = $1 AND id = $2 AND revision = $3',
        [namespace, id, revision],
      );
  return rows.length === 0 ? undefined : toView(rows[0]);
}

/** Latest revision of every flow (of one namespace), by namespace then id. */
export async function listFlows(manager: EntityManager, namespace?: string): Promise<FlowView[]> {
  const rows: FlowRow[] = await manager.query(
    `SELECT namespace, id, revision, source, definition, updated_at AS deployed_at FROM flows
      WHERE $1::text IS NULL OR namespace = $1 ORDER BY namespace, id`,
    [namespace ?? null],
  );
  return rows.map(toView);
}

/** Every revision of one flow, oldest first. */
export async function listFlowRevisions(manager: EntityManager, namespace: string, id: string): Promise<FlowView[]> {
  const rows: FlowRow[] = await manager.query(
    'SELECT namespace, id, revision, source, definition, deployed_at FROM flow_revisions WHERE namespace = $1 AND id = $2 ORDER BY revision',
    [namespace, id],
  );
  return rows.map(toView);
}

function toView(row: FlowRow): FlowView {
  return {
    namespace: row.namespace,
    id: row.id,
    revision: row.revision,
    source: row.source,
    definition: row.definition,
    deployedAt: row.deployed_at.toISOString(),
  };
}
