import type { JsonObject } from '../shared/json.js';

/** The marker a RunWrapped task carries once it is a Subflow: its child is the next layer of the wrapped start. */
export const RUN_WRAPPED = 'runWrapped';

/**
 * A RunWrapped task as the Subflow it is: waits for its child and fails with it. Subflow's own
 * properties (namespace, flowId, inputs) are taken from the wrapper execution when it runs.
 */
export const runWrappedAsSubflow = (): { readonly type: 'Subflow'; readonly properties: JsonObject } => ({
  type: 'Subflow',
  properties: { [RUN_WRAPPED]: true, wait: true, transmitFailed: true },
});
