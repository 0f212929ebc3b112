/** `@chronicle/event-store/memory`: the in-memory adapter, for unit tests and tools. */
export { InMemoryEventStore } from './in-memory-event-store.js';
