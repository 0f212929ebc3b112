import type { LocksReleased, LocksRequested } from '@chronicle/domain';
import type { AcquireLocksMessage, ReleaseLocksMessage } from '@chronicle/contracts';

/** LocksRequested -> the lock table queues the claim (commands topic, keyed by the execution). */
export const acquireLocksMessage = (executionId: string, event: LocksRequested): AcquireLocksMessage => {
  const { holder, taskRunId, names, namespace, flowId, priority, at } = event.data;
  return { type: 'AcquireLocks', executionId, holder, ...(taskRunId !== undefined ? { taskRunId } : {}), names, namespace, flowId, priority, requestedAt: at };
};

/** LocksReleased -> the lock table frees the holder's locks and grants the next claims. */
export const releaseLocksMessage = (executionId: string, event: LocksReleased): ReleaseLocksMessage =>
  ({ type: 'ReleaseLocks', executionId, holder: event.data.holder, releasedAt: event.data.at });
