import { DLQ_HEADERS, dlqTopic, type Consumer, type MessageBus, type ReceivedMessage, type Topics } from '@chronicle/messaging';
import type { ExecutionCommand } from '@chronicle/domain';
import type { Logger } from '@chronicle/runtime';
import { PoisonMessageError } from '@chronicle/messaging';
import { parseCommandMessage } from './command-message.js';
import type { ExecutionCommandHandler } from './execution-command.handler.js';

export const EXECUTOR_GROUP = 'chronicle-executor';

/**
 * Feeds the commands topic to the handler in batches (one partition's batch at a time,
 * so per-execution order holds). Malformed commands and commands the aggregate can never
 * accept go to the dead-letter topic; the batch's offsets are committed after the append.
 */
export async function consumeExecutionCommands(
  bus: MessageBus,
  topics: Topics,
  handler: ExecutionCommandHandler,
  logger: Logger,
): Promise<Consumer> {
  return bus.consumeBatch({ topic: topics.commands, groupId: EXECUTOR_GROUP }, async (messages) => {
    const commands: ExecutionCommand[] = [];
    const sources = new Map<ExecutionCommand, ReceivedMessage>();
    const dead: Array<{ message: ReceivedMessage; reason: string }> = [];
    for (const message of messages) {
      try {
        const command = parseCommandMessage(message.value);
        commands.push(command);
        sources.set(command, message);
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) throw error;
        dead.push({ message, reason: error.reason });
      }
    }
    const rejected = commands.length > 0 ? await handler.handle(commands) : [];
    for (const r of rejected) dead.push({ message: sources.get(r.command)!, reason: r.reason });
    if (dead.length > 0) {
      logger.warn({ count: dead.length, reasons: dead.map((d) => d.reason) }, 'commands dead-lettered');
      await bus.publish(
        dlqTopic(topics.commands),
        dead.map(({ message, reason }) => ({
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
        })),
      );
    }
  });
}
