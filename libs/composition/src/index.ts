export * from './platform.js';
export * from './startup-checks.js';
export * from './service-bootstrap.js';
export * from './health-server.js';
export * from './dead-letter-store.js';
export * from './resilient-subscription.js';
export * from './port-tokens.js';
