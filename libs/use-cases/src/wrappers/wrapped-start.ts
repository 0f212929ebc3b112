import type { ExecutionOptions, FlowDefinition, WrappedRun, WrapperReference } from '@chronicle/domain';

/**
 * A start of `flow` that wrappers run around becomes a start of the outermost wrapper, which
 * carries the start it stands for (`wrapped`): its inputs as given, labels and run options, and
 * the inner wrappers. The wrapped flow's revision is pinned now, as a direct start would pin it.
 * Every layer gets the run options (a development run stays one all the way in) except
 * `scheduledAt`, which only the outermost waits for.
 */
export function wrappedStart(
  flow: FlowDefinition,
  chain: readonly WrapperReference[],
  start: { readonly inputs?: Readonly<Record<string, unknown>>; readonly labels?: Readonly<Record<string, string>>; readonly options?: ExecutionOptions },
): { readonly outer: WrapperReference; readonly wrapped: WrappedRun } {
  const [outer, ...inner] = chain;
  const { scheduledAt: _later, ...options } = start.options ?? {};
  return {
    outer: outer!,
    wrapped: {
      namespace: flow.namespace,
      flowId: flow.id,
      revision: flow.revision,
      inputs: (start.inputs ?? {}) as WrappedRun['inputs'],
      labels: start.labels ?? {},
      ...(Object.keys(options).length > 0 ? { options } : {}),
      wrappers: inner,
    },
  };
}
