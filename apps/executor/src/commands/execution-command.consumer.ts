import { errorCodeOf } from '@chronicle/errors';
import { isExecutionCreation, isNamedLockMessage, isSlotRelease, parseCommandsMessage, type ExecutionCreationMessage, type NamedLockMessage, type ReleaseConcurrencySlotMessage } from '@chronicle/contracts';
import type { LeaseRenewal, TaskRunLeaseTable } from '@chronicle/use-cases';
import { DLQ_HEADERS, dlqTopic, PoisonMessageError, type BusMessage, type Consumer, type MessageBus, type ReceivedMessage, type Topics } from '@chronicle/messaging';
import type { ExecutionCommand, ReportTaskRunAlive } from '@chronicle/domain';
import type { Logger } from '@chronicle/runtime';
import type { ConcurrencyReleaseHandler } from './concurrency-release.handler.js';
import type { ExecutionCommandHandler } from './execution-command.handler.js';
import type { ExecutionCreationHandler } from './execution-creation.handler.js';
import type { NamedLockHandler } from './named-lock.handler.js';

export const EXECUTOR_GROUP = 'chronicle-executor';

export interface CommandConsumers {
  readonly handler: ExecutionCommandHandler;
  /** Creates child and retry executions; without it those messages are dead-lettered. */
  readonly creations?: ExecutionCreationHandler;
  /** Records lease renewals; without it ReportTaskRunAlive goes to the aggregate (which ignores it). */
  readonly leases?: TaskRunLeaseTable;
  /** Frees flow concurrency slots; without it ReleaseConcurrencySlot messages are dead-lettered. */
  readonly releases?: ConcurrencyReleaseHandler;
  /** Queues, grants and frees named locks; without it AcquireLocks/ReleaseLocks are dead-lettered. */
  readonly locks?: NamedLockHandler;
}

/**
 * Feeds the commands topic in batches (one partition's batch at a time, so per-execution
 * order holds) to whoever handles each kind: creation requests (a Subflow's child, a retry
 * execution) to the application's createExecution, concurrency slot releases to the slot
 * table (which may start queued executions), lease renewals to the lease table, and
 * every other command to the Execution aggregate. Creations go first: a later command of
 * the same batch may address the execution just created (a kill reaching a new child).
 * Malformed messages and commands the aggregate can never accept go to the dead-letter
 * topic; the batch's offsets are committed after everything is written.
 */
export async function consumeExecutionCommands(
  bus: MessageBus,
  topics: Topics,
  consumers: ExecutionCommandHandler | CommandConsumers,
  logger: Logger,
): Promise<Consumer> {
  const { handler, creations, leases, releases, locks } = 'handle' in consumers
    ? { handler: consumers, creations: undefined, leases: undefined, releases: undefined, locks: undefined }
    : consumers;
  return bus.consumeBatch({ topic: topics.commands, groupId: EXECUTOR_GROUP }, async (messages) => {
    const commands: ExecutionCommand[] = [];
    const creationRequests: ExecutionCreationMessage[] = [];
    const renewals: LeaseRenewal[] = [];
    const slotReleases: ReleaseConcurrencySlotMessage[] = [];
    const lockMessages: NamedLockMessage[] = [];
    const sources = new Map<unknown, ReceivedMessage>();
    const dead: Array<{ message: ReceivedMessage; reason: string }> = [];
    for (const message of messages) {
      try {
        // The commands contract: a malformed message or one of an unknown schemaVersion is poison.
        const parsed = parseCommandsMessage(message.value);
        if (isExecutionCreation(parsed)) {
          if (!creations) throw new PoisonMessageError(`${parsed.type} needs the execution creation handler, which this consumer lacks`);
          creationRequests.push(parsed);
          sources.set(parsed, message);
          continue;
        }
        if (isSlotRelease(parsed)) {
          if (!releases) throw new PoisonMessageError('ReleaseConcurrencySlot needs the concurrency release handler, which this consumer lacks');
          slotReleases.push(parsed);
          continue;
        }
        if (isNamedLockMessage(parsed)) {
          if (!locks) throw new PoisonMessageError(`${parsed.type} needs the named lock handler, which this consumer lacks`);
          lockMessages.push(parsed);
          continue;
        }
        const command: ExecutionCommand = parsed;
        if (command.type === 'ReportTaskRunAlive' && leases) renewals.push(renewalOf(command));
        else {
          commands.push(command);
          sources.set(command, message);
        }
      } catch (error) {
        if (errorCodeOf(error) !== 'POISON_MESSAGE') throw error;
        dead.push({ message, reason: (error as PoisonMessageError).reason });
      }
    }
    if (creationRequests.length > 0 && creations) {
      const outcome = await creations.handle(creationRequests);
      if (outcome.replies.length > 0) await bus.publish(topics.commands, outcome.replies);
      for (const r of outcome.rejected) dead.push({ message: sources.get(r.message)!, reason: r.reason });
    }
    if (slotReleases.length > 0 && releases) {
      const advances = await releases.handle(slotReleases);
      if (advances.length > 0) await bus.publish(topics.commands, advances);
    }
    if (lockMessages.length > 0 && locks) {
      const grants = await locks.handle(lockMessages);
      if (grants.length > 0) await bus.publish(topics.commands, grants);
    }
    if (renewals.length > 0) await leases!.renew(renewals);
    const rejected = commands.length > 0 ? await handler.handle(commands) : [];
    for (const r of rejected) dead.push({ message: sources.get(r.command)!, reason: r.reason });
    if (dead.length > 0) {
      logger.warn({ count: dead.length, executionIds: dead.map((d) => d.message.key), reasons: dead.map((d) => d.reason) }, 'commands dead-lettered');
      await bus.publish(dlqTopic(topics.commands), dead.map(({ message, reason }) => deadLetter(message, reason)));
    }
  });
}

const renewalOf = (c: ReportTaskRunAlive): LeaseRenewal => ({ executionId: c.executionId, taskRunId: c.taskRunId, attempt: c.attempt, workerId: c.workerId, at: c.now });

const deadLetter = (message: ReceivedMessage, reason: string): BusMessage => ({
  key: message.key,
  value: message.value,
  headers: {
    ...message.headers,
    [DLQ_HEADERS.reason]: reason,
    [DLQ_HEADERS.sourceTopic]: message.topic,
    [DLQ_HEADERS.sourcePartition]: String(message.partition),
    [DLQ_HEADERS.sourceOffset]: message.offset,
    [DLQ_HEADERS.failedAt]: new Date().toISOString(),
  },
});
