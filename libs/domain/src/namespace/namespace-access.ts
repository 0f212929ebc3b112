import { CodedError } from '@chronicle/errors';

/**
 * Which namespaces a flow may start flows in (a Subflow's child). Kestra's model: a flow calls
 * flows of its own namespace and its children freely; another namespace only when allowed.
 * Rules come from CHRONICLE_NAMESPACE_ALLOW: `caller->target` pairs, comma separated, each side
 * a namespace (covering its children) or `*`; e.g. `teamA->shared, *->common.lib`.
 */
export interface NamespaceAllowRule {
  readonly from: string;
  readonly to: string;
}

/** CHRONICLE_NAMESPACE_ALLOW cannot be read: a configuration error, reported at start. */
export class NamespaceAllowSpecError extends CodedError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

const NAMESPACE = /^(\*|[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*)$/;

export function parseNamespaceAllow(spec: string | undefined): NamespaceAllowRule[] {
  return (spec ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, index) => {
      const [from, to, extra] = part.split('->').map((s) => s.trim());
      if (from === undefined || to === undefined || extra !== undefined || !NAMESPACE.test(from) || !NAMESPACE.test(to)) {
        throw new NamespaceAllowSpecError(`CHRONICLE_NAMESPACE_ALLOW entry ${index + 1} ("${part}"): expected caller->target, each a namespace or *, e.g. teamA->shared`);
      }
      return { from, to };
    });
}

/** The namespace itself or one of its children (`a` covers `a` and `a.b`, not `ab`). */
export const withinNamespace = (namespace: string, scope: string): boolean => scope === '*' || namespace === scope || namespace.startsWith(`${scope}.`);

/** May a flow of `caller` start a flow in `target`? Its own namespace and children always; others by a rule. */
export function mayStartFlowIn(caller: string, target: string, rules: readonly NamespaceAllowRule[]): boolean {
  if (withinNamespace(target, caller)) return true;
  return rules.some((rule) => withinNamespace(caller, rule.from) && withinNamespace(target, rule.to));
}
