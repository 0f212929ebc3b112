import type { FlowDefinition } from '@chronicle/domain';
import type { EntityManager } from 'typeorm';
import type { FlowView } from './read-model.views.js';

interface FlowRow { namespace: string; id: string; revision: number; source: string; definition: FlowDefinition; deployed_at: Date; disabled: boolean; deleted: boolean }

/** The latest revision, or the given one (of a deleted flow too: executions still name it). */
export async function getFlow(manager: EntityManager, namespace: string, id: string, revision?: number): Promise<FlowView | undefined> {
  const rows: FlowRow[] = revision === undefined
    ? await manager.query(
        'SELECT namespace, id, revision, source, definition, updated_at AS deployed_at, disabled, deleted FROM flows WHERE namespace = $1 AND id = $2',
        [namespace, id],
      )
    : await manager.query(
        `SELECT r.namespace, r.id, r.revision, r.source, r.definition, r.deployed_at, coalesce(f.disabled, false) AS disabled,
                coalesce(f.deleted, false) AS deleted
           FROM flow_revisions r LEFT JOIN flows f ON f.namespace = r.namespace AND f.id = r.id
          WHERE r.namespace = $1 AND r.id = $2 AND r.revision = $3`,
        [namespace, id, revision],
      );
  return rows.length === 0 ? undefined : toView(rows[0]);
}

/** Latest revision of every flow that is not deleted (of one namespace and its children), by namespace then id. */
export async function listFlows(manager: EntityManager, namespace?: string): Promise<FlowView[]> {
  const rows: FlowRow[] = await manager.query(
    `SELECT namespace, id, revision, source, definition, updated_at AS deployed_at, disabled, deleted FROM flows
      WHERE NOT deleted AND ($1::text IS NULL OR namespace = $1 OR starts_with(namespace, $1 || '.')) ORDER BY namespace, id`,
    [namespace ?? null],
  );
  return rows.map(toView);
}

/** Every revision of one flow, oldest first. */
export async function listFlowRevisions(manager: EntityManager, namespace: string, id: string): Promise<FlowView[]> {
  const rows: FlowRow[] = await manager.query(
    `SELECT r.namespace, r.id, r.revision, r.source, r.definition, r.deployed_at, coalesce(f.disabled, false) AS disabled,
            coalesce(f.deleted, false) AS deleted
       FROM flow_revisions r LEFT JOIN flows f ON f.namespace = r.namespace AND f.id = r.id
      WHERE r.namespace = $1 AND r.id = $2 ORDER BY r.revision`,
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
    disabled: row.disabled,
    deleted: row.deleted,
  };
}
