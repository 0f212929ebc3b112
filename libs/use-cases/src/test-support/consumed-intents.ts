import { contractsByTopic } from '@chronicle/contracts';
import type { RecordedEvent } from '@chronicle/event-store';
import type { Topics } from '@chronicle/messaging';
import { intentsOf, type Intent, type IntentContext } from '../execution-intents.js';

/**
 * The intents of an event as their consumers read them: each value through its topic's
 * contract (which checks it and drops the schemaVersion). A test comparing these proves the
 * messages both say what they should and parse on the other side.
 */
export function consumedIntentsOf(event: RecordedEvent, topics: Topics, context?: IntentContext): Intent[] {
  const contracts = contractsByTopic(topics);
  return intentsOf(event, topics, context).map((intent) => {
    const contract = contracts.get(intent.topic);
    return contract ? { ...intent, message: { ...intent.message, value: contract.parse(intent.message.value) } } : intent;
  });
}
