// One module per topic (and per API shape that crosses a process): its messages' types, the
// schemaVersion this build writes, and the zod parser every consumer runs (message-contract.ts).
export * from './message-contract.js';
export * from './event-envelope.js';
export * from './commands.js';
export * from './tasks.js';
export * from './timers.js';
export * from './control.js';
export * from './logs.js';
export * from './event-log-lines.js';
export * from './updates.js';
export * from './topic-contracts.js';
export * from './lock-messages.js';
