import { isTerminal } from '@chronicle/domain';
import type { ExecutionView, ReadModelQueries } from '@chronicle/read-model';
import type { LiveUpdates } from '../live/live-updates.js';

/**
 * Listens for an execution's end on the live updates (push, no polling). Start it before the
 * execution is created and the end cannot slip past unseen: then no read-model read is needed.
 * `checkCurrent` covers an execution that may have ended before listening began (one that
 * already existed: an idempotent repeat, a REST start answered from the log).
 */
export interface EndWatch {
  /** The ended execution, or undefined after the timeout. */
  readonly ended: Promise<ExecutionView | undefined>;
  /** Looks once at the read model, in case it ended before the watch began. */
  checkCurrent(readModel: ReadModelQueries): void;
  /** Stops listening (the start failed): `ended` resolves undefined. */
  cancel(): void;
}

export function watchForEnd(live: LiveUpdates, executionId: string, timeoutMs: number): EndWatch {
  let finish!: (value: ExecutionView | undefined) => void;
  const ended = new Promise<ExecutionView | undefined>((resolve) => {
    let settled = false;
    finish = (value) => {
      if (settled) return;
      settled = true;
      stop();
      clearTimeout(timer);
      resolve(value);
    };
    const stop = live.onExecution(executionId, (update) => {
      if (update.kind === 'execution' && isTerminal(update.state)) finish(update.view);
    });
    const timer = setTimeout(() => finish(undefined), timeoutMs);
  });
  return {
    ended,
    checkCurrent: (readModel) => void readModel.getExecution(executionId).then((current) => (current && isTerminal(current.state) ? finish(current) : undefined)),
    cancel: () => finish(undefined),
  };
}

/** Resolves with the ended execution, or undefined after `timeoutMs` (it may have ended already: one read-model read). */
export async function waitForEnd(live: LiveUpdates, readModel: ReadModelQueries, executionId: string, timeoutMs: number): Promise<ExecutionView | undefined> {
  const watch = watchForEnd(live, executionId, timeoutMs);
  watch.checkCurrent(readModel);
  return watch.ended;
}
