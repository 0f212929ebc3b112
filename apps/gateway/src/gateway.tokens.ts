/** Dependency-injection tokens of the gateway (ports bound to values at registration). */
export const PLATFORM = Symbol('PLATFORM');
export const READ_MODEL = Symbol('READ_MODEL');
export const LIVE_UPDATES = Symbol('LIVE_UPDATES');
export const LOGGER = Symbol('GATEWAY_LOGGER');
export const DEAD_LETTERS = Symbol('DEAD_LETTERS');
export const EXECUTION_ADMISSION = Symbol('EXECUTION_ADMISSION');
