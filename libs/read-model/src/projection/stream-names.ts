export const EXECUTION_STREAM_PREFIX = 'execution-';
export const FLOW_STREAM_PREFIX = 'flow-';

/** The execution id of an `execution-<id>` stream, or undefined for any other stream. */
export function executionIdOf(streamId: string): string | undefined {
  return streamId.startsWith(EXECUTION_STREAM_PREFIX) && streamId.length > EXECUTION_STREAM_PREFIX.length
    ? streamId.slice(EXECUTION_STREAM_PREFIX.length)
    : undefined;
}
