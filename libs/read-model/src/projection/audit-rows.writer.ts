import type { RecordedEvent } from '@chronicle/event-store';
import type { EntityManager } from 'typeorm';
import type { FoldedExecution } from './execution-fold.js';
import { executionIdOf, FLOW_STREAM_PREFIX } from './stream-names.js';

/** Events written before actors were recorded. */
export const UNKNOWN_ACTOR = 'unknown';

interface AuditRow {
  readonly position: string;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly stream_id: string;
  readonly revision: string;
  readonly namespace?: string;
  readonly flow_id?: string;
  readonly flow_revision?: number;
  readonly execution_id?: string;
}

/**
 * One audit row per execution or flow event of the batch: who (`metadata.actor`), what (the
 * event type), when, on which execution or flow. An execution event gets its namespace and
 * flow from the folded execution (only ExecutionCreated carries them).
 */
export function auditRows(events: readonly RecordedEvent[], executions: readonly FoldedExecution[]): AuditRow[] {
  const docs = new Map(executions.map((e) => [e.id, e.doc]));
  const rows: AuditRow[] = [];
  for (const event of events) {
    const at = typeof event.metadata?.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt;
    const actor = typeof event.metadata?.actor === 'string' && event.metadata.actor !== '' ? event.metadata.actor : UNKNOWN_ACTOR;
    // Every row is built with all its keys in one order (one object shape: a replay writes millions).
    const executionId = executionIdOf(event.streamId);
    if (executionId !== undefined) {
      const doc = docs.get(executionId);
      rows.push({
        position: event.position.toString(), at, actor, action: event.type, stream_id: event.streamId, revision: event.revision.toString(),
        namespace: doc?.namespace, flow_id: doc?.flowId, flow_revision: doc?.flowRevision, execution_id: executionId,
      });
    } else if (event.streamId.startsWith(FLOW_STREAM_PREFIX)) {
      const data = (event.data ?? {}) as { namespace?: unknown; flowId?: unknown; revision?: unknown };
      rows.push({
        position: event.position.toString(), at, actor, action: event.type, stream_id: event.streamId, revision: event.revision.toString(),
        namespace: typeof data.namespace === 'string' ? data.namespace : undefined,
        flow_id: typeof data.flowId === 'string' ? data.flowId : undefined,
        flow_revision: Number.isInteger(data.revision) ? (data.revision as number) : undefined,
        execution_id: undefined,
      });
    }
  }
  return rows;
}

/** Set-based, like the other writers; a replayed event (same position) is written once. */
export async function writeAuditRows(manager: EntityManager, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO audit_log (position, at, actor, action, stream_id, revision, namespace, flow_id, flow_revision, execution_id)
     SELECT x.position, x.at, x.actor, x.action, x.stream_id, x.revision, x.namespace, x.flow_id, x.flow_revision, x.execution_id
       FROM jsonb_to_recordset($1::jsonb) AS x(position numeric, at timestamptz, actor text, action text, stream_id text,
              revision bigint, namespace text, flow_id text, flow_revision int, execution_id text)
     ON CONFLICT (position) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

/**
 * The batch without the events of purged executions (see `purged_executions`): a log that
 * still holds them must not bring them back. One indexed query, only when the batch has
 * execution events.
 */
export async function withoutPurgedExecutions(manager: EntityManager, events: readonly RecordedEvent[], ids: readonly string[]): Promise<readonly RecordedEvent[]> {
  if (ids.length === 0) return events;
  const rows: { id: string }[] = await manager.query('SELECT id FROM purged_executions WHERE id = ANY($1::text[])', [ids]);
  if (rows.length === 0) return events;
  const purged = new Set(rows.map((r) => r.id));
  return events.filter((event) => {
    const id = executionIdOf(event.streamId);
    return id === undefined || !purged.has(id);
  });
}
