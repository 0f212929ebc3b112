export * from './message-bus.port.js';
export * from './topics.js';
export { encodeValue, decodeValue, deadLetterHeaders, type Decoded, type SourcePosition } from './message-codec.js';
export type { HandlerErrorContext, HandlerErrorListener, RawRecord } from './message-delivery.js';
export { backoffDelay, type RetryBackoff } from './retry-backoff.js';
export { quietKafkaLogCreator } from './kafka-log-creator.js';
export { KafkaMessageBus, type KafkaMessageBusOptions } from './kafka-message-bus.js';
export { InProcessMessageBus, type InProcessMessageBusOptions } from './in-process-message-bus.js';
