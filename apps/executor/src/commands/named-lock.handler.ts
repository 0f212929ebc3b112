import type { NamedLockMessage } from '@chronicle/contracts';
import type { NamedLockTable } from '@chronicle/use-cases';
import type { GrantLocks } from '@chronicle/domain';
import type { BusMessage } from '@chronicle/messaging';
import type { Clock, Logger } from '@chronicle/runtime';

/**
 * The lock table's consumer: AcquireLocks queues a claim, ReleaseLocks frees one,
 * ReprioritizeLocks moves an execution's waiting claims to their new place, and every
 * claim granted by either is answered with GrantLocks to its execution (on the commands topic).
 * Idempotent: a redelivered AcquireLocks answers the same grant again, a redelivered release
 * grants nothing new; the execution decides nothing for a grant it already has.
 */
export class NamedLockHandler {
  constructor(private readonly locks: Pick<NamedLockTable, 'acquire' | 'release' | 'reprioritize'>, private readonly clock: Clock, private readonly logger: Logger) {}

  /** In message order (a release before a later request of the same batch). Returns the GrantLocks to send. */
  async handle(messages: readonly NamedLockMessage[]): Promise<BusMessage[]> {
    const replies: BusMessage[] = [];
    for (const m of messages) {
      const grants = m.type === 'AcquireLocks'
        ? await this.locks.acquire({
          executionId: m.executionId, holder: m.holder, ...(m.taskRunId !== undefined ? { taskRunId: m.taskRunId } : {}),
          names: m.names, namespace: m.namespace, flowId: m.flowId, priority: m.priority, requestedAt: m.requestedAt,
        })
        : m.type === 'ReprioritizeLocks'
          ? await this.locks.reprioritize(m.executionId, m.priority)
          : await this.locks.release(m.holder);
      if (grants.length > 0) this.logger.debug({ after: m.type, executionId: m.executionId, granted: grants.map((g) => g.holder) }, 'named locks granted');
      for (const g of grants) {
        const command: GrantLocks = { type: 'GrantLocks', executionId: g.executionId, holder: g.holder, names: g.names, now: this.clock.now() };
        replies.push({ key: g.executionId, value: command });
      }
    }
    return replies;
  }
}
