/** Kestra's `Label.CORRELATION_ID`: the system label that ties an execution to the first of its chain. */
export const CORRELATION_LABEL = 'system.correlationId';

/**
 * Kestra's ExecutionController.parseLabels: no system label can be given when an execution is
 * created, except `system.correlationId`. The offending label, as Kestra's message words it, or undefined.
 */
export function systemLabelGivenAtStart(labels: Readonly<Record<string, string>> | undefined): string | undefined {
  const offending = Object.entries(labels ?? {}).find(([key]) => key.startsWith('system.') && key !== CORRELATION_LABEL);
  return offending && `System labels can only be set by Kestra itself, offending label: ${offending[0]}=${offending[1]}`;
}
