import { flowStreamId, FLOW_EVENT_SCHEMA_VERSION, type FlowDeleted, type FlowDisabled, type FlowEnabled, type FlowStatus } from '@chronicle/domain';
import type { EventStore } from '@chronicle/event-store';
import { newId, type Clock } from '@chronicle/runtime';
import { FlowNotFoundError } from './errors.js';
import type { FlowRepository, StoredFlow } from './flow-repository.js';

export type FlowLifecycleAction = 'disable' | 'enable' | 'delete';

export interface FlowLifecycleResult {
  readonly latest: StoredFlow;
  readonly status: FlowStatus;
  /** False when the flow already was in that status: nothing was written. */
  readonly changed: boolean;
  readonly position?: bigint;
}

const EVENT_OF: Record<FlowLifecycleAction, (FlowDisabled | FlowEnabled | FlowDeleted)['type']> = {
  disable: 'FlowDisabled',
  enable: 'FlowEnabled',
  delete: 'FlowDeleted',
};

/**
 * Disables, enables or deletes a flow by appending the life-cycle event to its stream.
 * Idempotent: a flow already in the asked status is answered as it is. A deleted flow
 * can only come back by a deploy (so enabling or disabling it is NOT_FOUND).
 */
export async function changeFlowLifecycle(
  deps: { store: EventStore; flows: FlowRepository; clock: Clock },
  namespace: string,
  flowId: string,
  action: FlowLifecycleAction,
  actor?: string,
): Promise<FlowLifecycleResult> {
  const head = await deps.flows.head(namespace, flowId);
  if (!head || head.status.deleted) throw new FlowNotFoundError(namespace, flowId);
  const next: FlowStatus = action === 'delete' ? { ...head.status, deleted: true } : { ...head.status, disabled: action === 'disable' };
  if (next.deleted === head.status.deleted && next.disabled === head.status.disabled) {
    return { latest: head.latest, status: head.status, changed: false };
  }
  const now = deps.clock.now();
  const result = await deps.store.append(
    flowStreamId(namespace, flowId),
    [{ id: newId(), type: EVENT_OF[action], data: { namespace, flowId, at: now }, metadata: { schemaVersion: FLOW_EVENT_SCHEMA_VERSION, occurredAt: now, actor } }],
    head.streamRevision,
  );
  deps.flows.forget(namespace, flowId);
  return { latest: head.latest, status: next, changed: true, position: result.position };
}
