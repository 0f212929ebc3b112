export * from './trigger-state-store.js';
export * from './start-triggered-execution.js';
export * from './flow-triggers-index.js';
export * from './backfill-schedule.js';
export * from './list-triggers.js';
