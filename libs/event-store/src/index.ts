export * from './event-store.port.js';
export * from './errors.js';
export { InMemoryEventStore } from './memory/in-memory-event-store.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
export { EVENTS_CHANNEL } from './postgres/postgres-schema.js';
export { applySchemaOnce } from './postgres/schema-once.js';
export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store.js';
