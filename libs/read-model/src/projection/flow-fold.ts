import type { RecordedEvent } from '@chronicle/event-store';
import type { PoisonEvent } from './execution-fold.js';
import { FLOW_STREAM_PREFIX } from './stream-names.js';

export const FLOW_REVISION_DEPLOYED = 'FlowRevisionDeployed';

export interface FlowRevisionRow {
  readonly namespace: string;
  readonly flowId: string;
  readonly revision: number;
  readonly source: string;
  readonly definition: unknown;
  readonly at: string;
}

/** A flow's status after a batch; a field the batch did not touch is undefined (kept as stored). */
export interface FlowStatusRow {
  readonly namespace: string;
  readonly flowId: string;
  disabled?: boolean;
  deleted?: boolean;
}

const LIFECYCLE = new Set(['FlowDisabled', 'FlowEnabled', 'FlowDeleted']);

/**
 * Deployed flow revisions of a batch, one per (namespace, flow, revision), and the status of
 * every flow the batch touched: a deploy sets both fields (un-deleting, keeping the disabled
 * flag it carries), FlowDisabled/FlowEnabled/FlowDeleted set one.
 */
export function foldFlows(events: readonly RecordedEvent[]): { revisions: FlowRevisionRow[]; statuses: FlowStatusRow[]; poison: PoisonEvent[] } {
  const rows = new Map<string, FlowRevisionRow>();
  const statuses = new Map<string, FlowStatusRow>();
  const poison: PoisonEvent[] = [];
  const statusOf = (namespace: string, flowId: string) => {
    const key = `${namespace}\u0000${flowId}`;
    const status = statuses.get(key) ?? { namespace, flowId };
    statuses.set(key, status);
    return status;
  };
  for (const event of events) {
    if (!event.streamId.startsWith(FLOW_STREAM_PREFIX)) continue;
    if (LIFECYCLE.has(event.type)) {
      const data = event.data as { namespace?: unknown; flowId?: unknown } | null;
      if (typeof data?.namespace !== 'string' || typeof data.flowId !== 'string') {
        poison.push({ event, error: `${event.type} without namespace or flowId` });
        continue;
      }
      const status = statusOf(data.namespace, data.flowId);
      if (event.type === 'FlowDeleted') status.deleted = true;
      else status.disabled = event.type === 'FlowDisabled';
      continue;
    }
    if (event.type !== FLOW_REVISION_DEPLOYED) continue;
    const row = flowRevisionRow(event);
    if (typeof row === 'string') {
      poison.push({ event, error: row });
      continue;
    }
    rows.set(`${row.namespace}\u0000${row.flowId}\u0000${row.revision}`, row);
    const status = statusOf(row.namespace, row.flowId);
    status.deleted = false;
    status.disabled = (event.data as { disabled?: unknown }).disabled === true;
  }
  return { revisions: [...rows.values()], statuses: [...statuses.values()], poison };
}

/** The newest revision per flow among `rows`. */
export function latestPerFlow(rows: readonly FlowRevisionRow[]): FlowRevisionRow[] {
  const latest = new Map<string, FlowRevisionRow>();
  for (const row of rows) {
    const key = `${row.namespace}\u0000${row.flowId}`;
    const current = latest.get(key);
    if (!current || current.revision < row.revision) latest.set(key, row);
  }
  return [...latest.values()];
}

function flowRevisionRow(event: RecordedEvent): FlowRevisionRow | string {
  const data = event.data as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object') return 'FlowRevisionDeployed without data';
  const { namespace, flowId, source, definition } = data;
  if (typeof namespace !== 'string' || typeof flowId !== 'string') return 'FlowRevisionDeployed without namespace or flowId';
  if (typeof source !== 'string') return 'FlowRevisionDeployed without source';
  if (definition === null || typeof definition !== 'object') return 'FlowRevisionDeployed without definition';
  // The revision is the stream revision + 1 by construction; the data says so explicitly.
  const revision = Number.isInteger(data.revision) ? (data.revision as number) : Number(event.revision) + 1;
  const at = typeof data.at === 'string' ? data.at : typeof event.metadata?.occurredAt === 'string' ? event.metadata.occurredAt : event.recordedAt;
  return { namespace, flowId, revision, source, definition, at };
}
