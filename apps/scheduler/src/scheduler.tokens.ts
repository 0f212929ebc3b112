/** The scheduler's own injection tokens (the platform's ports use @chronicle/composition's tokens). */
export const SCHEDULER_LOGGER = Symbol('SCHEDULER_LOGGER');
