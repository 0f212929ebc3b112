import { isTerminal } from '@chronicle/domain';
import type { ExecutionView, ReadModelQueries } from '@chronicle/read-model';
import type { LiveUpdates } from '../live/live-updates.js';

/** Resolves with the ended execution, or undefined after `timeoutMs` (push: live updates, no polling). */
export async function waitForEnd(live: LiveUpdates, readModel: ReadModelQueries, executionId: string, timeoutMs: number): Promise<ExecutionView | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: ExecutionView | undefined) => {
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
    // It may have ended before we started listening.
    void readModel.getExecution(executionId).then((current) => (current && isTerminal(current.state) ? finish(current) : undefined));
  });
}
