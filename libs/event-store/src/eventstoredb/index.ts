/** `@chronicle/event-store/eventstoredb`: the EventStoreDB adapter (@eventstore/db-client). */
export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb-event-store.js';
