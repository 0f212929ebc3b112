export * from './trigger.model.js';
export * from './trigger.parser.js';
export * from './schedule.ticks.js';
export * from './flow-trigger.match.js';
export * from './kafka-reserved-names.js';
