/** Kestra's `Label.CORRELATION_ID`: the system label that ties an execution to the first of its chain. */
export const CORRELATION_LABEL = 'system.correlationId';
