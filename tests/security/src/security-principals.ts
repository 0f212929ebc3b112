/** The callers of the security suite: every role, unrestricted and limited to `teamA`, and nobody. */
export const NAMESPACES = ['teamA', 'teamB'] as const;
export type Namespace = (typeof NAMESPACES)[number];
export type Permission = 'read' | 'execute' | 'deploy' | 'admin';

export interface SuitePrincipal {
  readonly name: string;
  readonly role?: 'VIEWER' | 'OPERATOR' | 'EDITOR' | 'ADMIN';
  readonly namespaces?: readonly string[];
  readonly token: string;
}

const ROLES = ['VIEWER', 'OPERATOR', 'EDITOR', 'ADMIN'] as const;

export const PRINCIPALS: readonly SuitePrincipal[] = [
  ...ROLES.map((role) => ({ name: role, role, token: `security-${role.toLowerCase()}-all-000000000001` })),
  ...ROLES.map((role) => ({ name: `${role}:teamA`, role, namespaces: ['teamA'], token: `security-${role.toLowerCase()}-team-a-0000000001` })),
  { name: 'anonymous', token: 'security-not-a-known-token-00000000001' },
];

export const tokenOf = (name: string): string => PRINCIPALS.find((p) => p.name === name)!.token;

/** CHRONICLE_TOKENS for PRINCIPALS. */
export const TOKENS_SPEC = PRINCIPALS.filter((p) => p.role)
  .map((p) => `${p.role}${p.namespaces ? `:${p.namespaces.join('|')}` : ''}=${p.token}`)
  .join(',');

/**
 * Where an operation applies: one namespace, the whole installation, or anywhere with the
 * answer filtered to the caller's namespaces.
 */
export type Scope = 'namespace' | 'global' | 'filtered';

const RANK = { VIEWER: 0, OPERATOR: 1, EDITOR: 2, ADMIN: 3 } as const;
const NEEDS: Record<Permission, number> = { read: 0, execute: 1, deploy: 2, admin: 3 };

/** The policy, written independently of the gateway's code: what the suite expects. */
export function expectedAllowed(p: SuitePrincipal, permission: Permission, scope: Scope, namespace: string): boolean {
  if (!p.role || RANK[p.role] < NEEDS[permission]) return false;
  if (scope === 'global') return p.namespaces === undefined;
  if (scope === 'filtered' || p.namespaces === undefined) return true;
  return p.namespaces.some((ns) => namespace === ns || namespace.startsWith(`${ns}.`));
}
