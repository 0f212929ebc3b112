export * from './infra/postgres-server.js';
export * from './infra/process.js';
export * from './infra/free-port.js';
