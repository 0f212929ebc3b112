/**
 * `@chronicle/event-store`: the port (what every adapter keeps) and its errors. The adapters have
 * entry points of their own, so that code which may only use the port cannot reach one:
 * `@chronicle/event-store/postgres`, `@chronicle/event-store/eventstoredb`, `@chronicle/event-store/memory`.
 */
export * from './event-store.port.js';
export * from './errors.js';
