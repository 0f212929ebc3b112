import type { EntityManager } from 'typeorm';
import { latestPerFlow, type FlowRevisionRow, type FlowStatusRow } from './flow-fold.js';

/** Every revision into `flow_revisions`; the newest per flow into `flows` (never downgraded). */
export async function writeFlowRevisions(manager: EntityManager, revisions: readonly FlowRevisionRow[]): Promise<void> {
  if (revisions.length === 0) return;
  await manager.query(
    `INSERT INTO flow_revisions (namespace, id, revision, source, definition, deployed_at)
     SELECT x."namespace", x."flowId", x.revision, x.source, x.definition, x.at
       FROM jsonb_to_recordset($1::jsonb) AS x("namespace" text, "flowId" text, revision int, source text, definition jsonb, at timestamptz)
     ON CONFLICT (namespace, id, revision) DO NOTHING`,
    [JSON.stringify(revisions)],
  );
  await manager.query(
    `INSERT INTO flows (namespace, id, revision, source, definition, updated_at)
     SELECT x."namespace", x."flowId", x.revision, x.source, x.definition, x.at
       FROM jsonb_to_recordset($1::jsonb) AS x("namespace" text, "flowId" text, revision int, source text, definition jsonb, at timestamptz)
     ON CONFLICT (namespace, id) DO UPDATE SET
       revision = EXCLUDED.revision, source = EXCLUDED.source, definition = EXCLUDED.definition, updated_at = EXCLUDED.updated_at
     WHERE flows.revision < EXCLUDED.revision`,
    [JSON.stringify(latestPerFlow(revisions))],
  );
}

/** Applies the batch's life-cycle changes; fields a batch did not touch keep their stored value. */
export async function writeFlowStatuses(manager: EntityManager, statuses: readonly FlowStatusRow[]): Promise<void> {
  if (statuses.length === 0) return;
  await manager.query(
    `UPDATE flows f SET disabled = COALESCE(x.disabled, f.disabled), deleted = COALESCE(x.deleted, f.deleted)
       FROM jsonb_to_recordset($1::jsonb) AS x("namespace" text, "flowId" text, disabled boolean, deleted boolean)
      WHERE f.namespace = x."namespace" AND f.id = x."flowId"`,
    [JSON.stringify(statuses)],
  );
}
