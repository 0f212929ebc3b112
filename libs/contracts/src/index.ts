export * from './event-envelope.js';
export * from './executor-messages.js';
export * from './timer-messages.js';
export * from './control-messages.js';
