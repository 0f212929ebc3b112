import type { WrapperReference } from '../../flow/wrappers.parser.js';
import type { JsonObject } from '../../shared/json.js';
import type { ExecutionOptions } from '../run-options.js';

/**
 * What a wrapper execution wraps (Cloudomation's wrappers): the start it stands for — the flow,
 * its inputs as given, labels and run options — and the wrappers still to run inside this one.
 * Its RunWrapped task starts the next layer: the first of `wrappers`, or the flow itself.
 */
export interface WrappedRun {
  readonly namespace: string;
  readonly flowId: string;
  /** The wrapped flow's revision (latest when absent). */
  readonly revision?: number;
  /** As the caller gave them: the wrapped flow checks them when its execution is created. */
  readonly inputs: JsonObject;
  readonly labels: Readonly<Record<string, string>>;
  readonly options?: ExecutionOptions;
  /** Inner wrappers, outermost first. */
  readonly wrappers: readonly WrapperReference[];
}

/** What expressions of a wrapper flow see as `wrapped`. */
export const wrappedScope = (wrapped: WrappedRun): JsonObject => ({
  namespace: wrapped.namespace,
  flowId: wrapped.flowId,
  inputs: wrapped.inputs,
  labels: wrapped.labels,
});
