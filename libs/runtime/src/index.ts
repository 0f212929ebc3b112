export * from './infra/postgres-server.js';
export * from './infra/process.js';
export * from './infra/free-port.js';
export * from './config.js';
export * from './logger.js';
export * from './ids.js';
export * from './clock.js';
export * from './infra/kafka-server.js';
