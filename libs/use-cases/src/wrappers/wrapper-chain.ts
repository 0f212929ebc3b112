import type { FlowDefinition, WrapperReference } from '@chronicle/domain';
import { CodedError } from '@chronicle/errors';
import type { FlowRepository } from '../flow-repository.js';

/** Deeper than this is a configuration gone wrong even without a cycle. */
export const MAX_WRAPPER_DEPTH = 10;

/** A wrapper that cannot be: a cycle, an unknown flow, too deep. Names the field; maps to BAD_USER_INPUT. */
export class WrapperError extends CodedError {
  readonly issues: readonly { readonly path: readonly (string | number)[]; readonly message: string }[];

  constructor(readonly field: string, problem: string) {
    super('WRAPPERS_INVALID', `${field}: ${problem}`);
    this.issues = [{ path: field.split(/[.[\]]+/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)), message: problem }];
  }
}

const nameOf = (w: { namespace: string; flowId?: string; id?: string }): string => `${w.namespace}.${w.flowId ?? w.id}`;

/** A wrapper runs in its own namespace, started in place of the flow: one its namespace may not start is refused. */
export const outOfReach = (w: WrapperReference, own: string): string =>
  `the wrapper flow ${w.namespace}.${w.flowId} is in namespace ${w.namespace}, which a flow of ${own} may not start: only its own namespace, its children, or one allowed by CHRONICLE_NAMESPACE_ALLOW (e.g. ${own}->${w.namespace})`;

/** How to read the flows that wrap: the deployed latest revision, or (deploy) the revision being deployed. */
export type FlowLookup = (namespace: string, flowId: string) => Promise<FlowDefinition | undefined>;

export const latestFlows = (flows: FlowRepository, deploying?: FlowDefinition): FlowLookup => async (namespace, flowId) => {
  if (deploying !== undefined && deploying.namespace === namespace && deploying.id === flowId) return deploying;
  const head = await flows.head(namespace, flowId);
  return head === undefined || head.status.deleted ? undefined : head.latest.definition;
};

/**
 * The layers that run around a start of `flow`, outermost first (Cloudomation's wrappers): the
 * run's own `wrappers` outside the flow's declared ones (left out when `unwrapped`), each with its
 * own declared wrappers outside it. A flow met again on the way in is a cycle (a wraps b wraps a):
 * refused, naming the field that closes it. `missing`: what an unknown wrapper flow is (an error
 * at start; at deploy it may be deployed later, so it is skipped).
 */
export async function wrapperChain(
  lookUp: FlowLookup,
  flow: FlowDefinition,
  run: { readonly wrappers?: readonly WrapperReference[]; readonly unwrapped?: boolean },
  missing: 'error' | 'skip' = 'error',
  /** How errors name the flow's own `wrappers` (at deploy: the flow's field; at start: `<flow>.wrappers`). */
  declaredField = `${nameOf(flow)}.wrappers`,
  /**
   * Which namespaces the flow may reach (as a Subflow would). A wrapper out of reach is never
   * looked up, so whether another namespace has such a flow is never told: at start it is refused
   * naming the namespace, the same for a flow that exists and one that does not; at deploy skipped
   * as an unknown one is (the start refuses it).
   */
  mayReach?: (namespace: string) => boolean,
): Promise<WrapperReference[]> {
  const expand = async (refs: readonly WrapperReference[], field: string, path: readonly string[]): Promise<WrapperReference[]> => {
    const layers: WrapperReference[] = [];
    for (const [i, ref] of refs.entries()) {
      const at = `${field}[${i}]`;
      const name = nameOf(ref);
      if (path.includes(name)) throw new WrapperError(at, `wrapper cycle: ${[...path, name].join(' → ')} (a flow cannot wrap, directly or not, a flow that wraps it)`);
      if (path.length >= MAX_WRAPPER_DEPTH) throw new WrapperError(at, `wrappers nest deeper than ${MAX_WRAPPER_DEPTH}: ${[...path, name].join(' → ')}`);
      if (mayReach !== undefined && !mayReach(ref.namespace)) {
        if (missing === 'skip') continue;
        throw new WrapperError(at, outOfReach(ref, flow.namespace));
      }
      const definition = await lookUp(ref.namespace, ref.flowId);
      if (definition === undefined) {
        if (missing === 'skip') continue;
        throw new WrapperError(at, `the wrapper flow ${name} does not exist; deploy it first`);
      }
      layers.push(...(await expand(definition.wrappers ?? [], `${name}.wrappers`, [...path, name])), ref);
    }
    return layers;
  };
  const self = [nameOf(flow)];
  const added = await expand(run.wrappers ?? [], 'wrappers', self);
  const declared = run.unwrapped === true ? [] : await expand(flow.wrappers ?? [], declaredField, self);
  return [...added, ...declared];
}
