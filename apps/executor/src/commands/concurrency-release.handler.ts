import type { ReleaseConcurrencySlotMessage } from '@chronicle/contracts';
import type { ConcurrencySlotTable } from '@chronicle/use-cases';
import type { ExecutionCommand } from '@chronicle/domain';
import type { BusMessage } from '@chronicle/messaging';
import type { Clock, Logger } from '@chronicle/runtime';
import { commandMessage } from '@chronicle/contracts';

/**
 * An execution of a limited flow ended: frees its concurrency slot and asks the executions
 * granted a slot (the queue's head) to start, with AdvanceExecution on the commands topic.
 * Idempotent: a redelivered release grants nothing new and asks the same executions again,
 * which decide nothing if they already run.
 */
export class ConcurrencyReleaseHandler {
  constructor(private readonly slots: Pick<ConcurrencySlotTable, 'release'>, private readonly clock: Clock, private readonly logger: Logger) {}

  /** Returns the AdvanceExecution commands to send. */
  async handle(messages: readonly ReleaseConcurrencySlotMessage[]): Promise<BusMessage[]> {
    const replies: BusMessage[] = [];
    for (const m of messages) {
      const granted = await this.slots.release(m.executionId, { namespace: m.namespace, flowId: m.flowId, key: m.concurrencyKey }, m.limit);
      if (granted.length > 0) this.logger.debug({ ended: m.executionId, granted }, 'concurrency slot handed to queued executions');
      for (const executionId of granted) {
        const command: ExecutionCommand = { type: 'AdvanceExecution', executionId, now: this.clock.now() };
        replies.push({ key: executionId, value: commandMessage(command) });
      }
    }
    return replies;
  }
}
