export * from './postgres-fixture.js';
export * from './kafka-fixture.js';
