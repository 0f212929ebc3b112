import type { Principal, Role } from './token-registry.js';

export type Permission = 'read' | 'execute' | 'deploy' | 'admin';

/**
 * Where an operation applies. Every authorization decision names one, so no route can check a
 * role and forget the namespace:
 * - `{ namespace }`: one namespace (and what it holds); a namespace-limited token must cover it.
 * - `GLOBAL`: the whole installation (the log's export and import, projection rebuilds, dead
 *   letters, a purge across namespaces): only a token valid in every namespace.
 * - `EACH_RESULT`: a read or command whose namespace is known only once the data is loaded (an
 *   execution by id, a list across namespaces). Only the role is checked here; the caller must
 *   check each result with `allows(principal, permission, namespace)` before showing or acting on it.
 */
export type Scope = { readonly namespace: string } | typeof GLOBAL | typeof EACH_RESULT;
export const GLOBAL = 'GLOBAL' as const;
export const EACH_RESULT = 'EACH_RESULT' as const;

/** What each role may do. EDITOR also runs what it deploys; ADMIN may do everything. */
const PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  VIEWER: new Set(['read']),
  OPERATOR: new Set(['read', 'execute']),
  EDITOR: new Set(['read', 'execute', 'deploy']),
  ADMIN: new Set(['read', 'execute', 'deploy', 'admin']),
};

/** The one authorization decision of the gateway: role, operation and where it applies. */
export function authorize(principal: Principal, permission: Permission, scope: Scope): boolean {
  if (!PERMISSIONS[principal.role].has(permission)) return false;
  if (scope === EACH_RESULT) return true;
  if (scope === GLOBAL) return principal.namespaces === undefined;
  return coversNamespace(principal, scope.namespace);
}

/** A namespace-limited token covers its namespaces and their children, not siblings or prefixes. */
export function coversNamespace(principal: Principal, namespace: string): boolean {
  if (!principal.namespaces) return true;
  return principal.namespaces.some((ns) => namespace === ns || namespace.startsWith(`${ns}.`));
}

/** True when the role may act at all (`deploy`, `admin`...) somewhere: the lowest bar, for masking decisions. */
export const hasRole = (principal: Principal, permission: Permission): boolean => PERMISSIONS[principal.role].has(permission);

export function describeScope(scope: Scope): string {
  if (scope === GLOBAL) return ' across every namespace (a token limited to some namespaces may not)';
  if (scope === EACH_RESULT) return '';
  return ` in namespace ${scope.namespace}`;
}
