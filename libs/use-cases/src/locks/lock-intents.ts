import type { ExecutionUpdated, LocksReleased, LocksRequested } from '@chronicle/domain';
import type { AcquireLocksMessage, ReleaseLocksMessage, ReprioritizeLocksMessage } from '@chronicle/contracts';

/** LocksRequested -> the lock table queues the claim (commands topic, keyed by the execution). */
export const acquireLocksMessage = (executionId: string, event: LocksRequested): AcquireLocksMessage => {
  const { holder, taskRunId, names, namespace, flowId, priority, at } = event.data;
  return { type: 'AcquireLocks', executionId, holder, ...(taskRunId !== undefined ? { taskRunId } : {}), names, namespace, flowId, priority, requestedAt: at };
};

/** LocksReleased -> the lock table frees the holder's locks and grants the next claims. */
export const releaseLocksMessage = (executionId: string, event: LocksReleased): ReleaseLocksMessage =>
  ({ type: 'ReleaseLocks', executionId, holder: event.data.holder, releasedAt: event.data.at });

/** ExecutionUpdated with a priority -> the lock table moves the execution's waiting claims (none: nothing changes). */
export const reprioritizeLocksMessage = (executionId: string, event: ExecutionUpdated): ReprioritizeLocksMessage | undefined =>
  event.data.priority === undefined ? undefined : { type: 'ReprioritizeLocks', executionId, priority: event.data.priority, at: event.data.at };
