import type { Topics } from '@chronicle/messaging';
import { COMMANDS_CONTRACT } from './commands.js';
import { CONTROL_CONTRACT } from './control.js';
import { LOGS_CONTRACT } from './logs.js';
import type { MessageContract } from './message-contract.js';
import { TASKS_CONTRACT } from './tasks.js';
import { TIMERS_CONTRACT } from './timers.js';
import { UPDATES_CONTRACT } from './updates.js';

/**
 * The contract of each of Chronicle's own topics (`triggers` carries the user's events: see
 * CONTRACT.md). A producer that writes to several topics stamps by topic with `stampFor`.
 */
export function contractsByTopic(topics: Topics): ReadonlyMap<string, MessageContract<object>> {
  return new Map<string, MessageContract<object>>([
    [topics.commands, COMMANDS_CONTRACT],
    [topics.tasks, TASKS_CONTRACT],
    [topics.timers, TIMERS_CONTRACT],
    [topics.control, CONTROL_CONTRACT],
    [topics.logs, LOGS_CONTRACT],
    [topics.updates, UPDATES_CONTRACT],
  ]);
}

/** The message with the schemaVersion of its topic's contract (unchanged for a topic without one). */
export function stampFor(topics: Topics, topic: string, value: unknown): unknown {
  const contract = contractsByTopic(topics).get(topic);
  return contract && typeof value === 'object' && value !== null ? contract.stamp(value) : value;
}
