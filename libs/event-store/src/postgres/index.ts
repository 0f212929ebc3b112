/** `@chronicle/event-store/postgres`: the Postgres adapter (the embedded default). */
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.js';
export { EVENTS_CHANNEL } from './postgres-schema.js';
export { applySchemaOnce } from './schema-once.js';
export { PgNotificationListener, type NotificationListenerOptions } from './pg-notification-listener.js';
