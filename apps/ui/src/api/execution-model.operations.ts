import type * as G from '@chronicle/client/graphql';

/**
 * GraphQL documents of Cloudomation's execution model on the execution page: savepoints and
 * rewind, wrapper nesting. Sent only when the server has them (`rewindExecution` by introspection).
 */
export const EXECUTION_MODEL = `query ExecutionModel($id: ID!) { execution(id: $id) { id revision
  savepoints { revision taskId taskRunId at } rewinds { revision toRevision taskId reason by at }
  wraps { namespace flowId revision innerWrappers { namespace flowId } } } }`;

export const REWIND = `mutation Rewind($id: ID!, $toRevision: Int, $reason: String) { rewindExecution(id: $id, toRevision: $toRevision, reason: $reason) { id state revision } }`;

// The shapes come from schema.graphql through the SDK's generated types (no hand copies).
export type Savepoint = Pick<G.Savepoint, 'revision' | 'taskId' | 'taskRunId' | 'at'>;
export type Rewind = Pick<G.Rewind, 'revision' | 'toRevision' | 'taskId' | 'at'> & Partial<Pick<G.Rewind, 'reason' | 'by'>>;
export type FlowRef = Pick<G.FlowRef, 'namespace' | 'flowId'>;
export interface ExecutionModel {
  id: string;
  revision: number;
  savepoints: Savepoint[];
  rewinds: Rewind[];
  wraps: (FlowRef & { revision?: number | null; innerWrappers: FlowRef[] }) | null;
}

/** The savepoint to offer for an event: the newest at or before it (a rewind goes back to a savepoint, never between two). */
export const savepointAtOrBefore = (savepoints: readonly Savepoint[], revision: number): Savepoint | undefined =>
  savepoints.filter((s) => s.revision <= revision).at(-1);
