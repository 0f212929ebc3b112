export * from './admin-token.js';
export * from './config.js';
export * from './logger.js';
export * from './ids.js';
export * from './clock.js';
export * from './metrics.js';
export * from './tracing.js';
export * from './kafka-probe.js';
