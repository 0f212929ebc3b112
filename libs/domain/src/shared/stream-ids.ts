/** Stream names of the event store; one place so every service spells them alike. */
export const flowStreamId = (namespace: string, flowId: string): string => `flow-${namespace}.${flowId}`;

export const executionStreamId = (executionId: string): string => `execution-${executionId}`;
