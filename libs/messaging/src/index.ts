export * from './message-bus.port.js';
export * from './topics.js';
export { encodeValue, decodeValue, deadLetterHeaders, type Decoded, type SourcePosition } from './message-codec.js';
export type { HandlerErrorContext, HandlerErrorListener, RawRecord } from './message-delivery.js';
export { backoffDelay, type RetryBackoff } from './retry-backoff.js';
export { quietKafkaLogCreator } from './kafka-log-creator.js';
export { KafkaMessageBus, type KafkaMessageBusOptions } from './kafka-message-bus.js';
export { InProcessMessageBus, type InProcessMessageBusOptions } from './in-process-message-bus.js';
export {
  DeadLetterStore, InMemoryRedriveLedger, DeadLetterNotFoundError, AlreadyRedrivenError, asDeadLetterTopic, deadLetterKey, MAX_DEAD_LETTER_PAGE,
  REDRIVEN_FROM_HEADER, type DeadLetter, type DeadLetterPage, type DeadLetterQueue, type DeadLetterRecord, type DeadLetterRef, type DeadLetterSource,
  type RedriveLedger, type RedriveRecord,
} from './dead-letter-store.js';
export { InProcessDeadLetterSource } from './in-process-dead-letters.js';
export { KafkaDeadLetterSource, type KafkaDeadLetterSourceOptions } from './kafka-dead-letters.js';
