import type { EntityManager } from 'typeorm';

export const DEFAULT_AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_PAGE_SIZE = 500;

export interface AuditQueryInput {
  readonly executionId?: string;
  readonly namespace?: string;
  /** Default 50, at most 500. */
  readonly first?: number;
  /** A cursor (an entry's `cursor`): entries strictly after it, in log order. */
  readonly after?: string;
}

/** One event of the audit: who did what, when, to which execution or flow. */
export interface AuditEntryView {
  /** The event's log position (decimal string): pass it as `after` for the next page. */
  readonly cursor: string;
  readonly at: string;
  readonly actor: string;
  /** The event type (ExecutionCreated, ExecutionKillRequested, FlowRevisionDeployed...). */
  readonly action: string;
  readonly streamId: string;
  /** The event's revision in its stream. */
  readonly revision: number;
  readonly namespace?: string;
  readonly flowId?: string;
  readonly flowRevision?: number;
  readonly executionId?: string;
}

/** The audit of one execution or of one namespace (executions and flows), in log order. */
export async function getAudit(manager: EntityManager, input: AuditQueryInput): Promise<AuditEntryView[]> {
  const first = Math.min(Math.max(1, input.first ?? DEFAULT_AUDIT_PAGE_SIZE), MAX_AUDIT_PAGE_SIZE);
  const after = input.after !== undefined && /^\d+$/.test(input.after) ? input.after : null;
  const rows: Array<{
    position: string; at: Date; actor: string; action: string; stream_id: string; revision: string;
    namespace: string | null; flow_id: string | null; flow_revision: number | null; execution_id: string | null;
  }> = await manager.query(
    `SELECT position, at, actor, action, stream_id, revision, namespace, flow_id, flow_revision, execution_id
       FROM audit_log
      WHERE ($1::text IS NULL OR execution_id = $1::text)
        AND ($2::text IS NULL OR namespace = $2::text)
        AND ($3::numeric IS NULL OR position > $3::numeric)
      ORDER BY position
      LIMIT $4`,
    [input.executionId ?? null, input.namespace ?? null, after, first],
  );
  return rows.map((r) => ({
    cursor: String(r.position),
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    streamId: r.stream_id,
    revision: Number(r.revision),
    ...(r.namespace !== null ? { namespace: r.namespace } : {}),
    ...(r.flow_id !== null ? { flowId: r.flow_id } : {}),
    ...(r.flow_revision !== null ? { flowRevision: r.flow_revision } : {}),
    ...(r.execution_id !== null ? { executionId: r.execution_id } : {}),
  }));
}
