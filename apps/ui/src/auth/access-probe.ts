import type { ApiSurface } from '../api/api-surface.js';
import { ApiRequestError, GraphQLClient } from '../api/graphql-client.js';

export type Role = 'VIEWER' | 'OPERATOR' | 'EDITOR' | 'ADMIN';

/** What the signed-in token may do; the UI offers only these. */
export interface Access {
  /** The role, or the best the probes can tell ("EDITOR or ADMIN" when nothing tells them apart). */
  readonly roleLabel: string;
  readonly canExecute: boolean;
  readonly canDeploy: boolean;
  readonly canAdmin: boolean;
}

const NO_SUCH_EXECUTION = 'ui-access-probe-00000000';
const NO_SUCH_PROJECTION = 'ui-access-probe';

const forbidden = async (attempt: () => Promise<unknown>): Promise<boolean> => {
  try {
    await attempt();
    return false;
  } catch (error) {
    if (error instanceof ApiRequestError && error.code === 'UNAUTHENTICATED') throw error;
    return error instanceof ApiRequestError && error.code === 'FORBIDDEN';
  }
};

const fromRole = (role: Role): Access => ({
  roleLabel: role,
  canExecute: role !== 'VIEWER',
  canDeploy: role === 'EDITOR' || role === 'ADMIN',
  canAdmin: role === 'ADMIN',
});

/**
 * Finds what the token may do. A `me`/`viewer` query answers directly where the API has one;
 * otherwise harmless probes tell by their FORBIDDEN: killing an execution that does not exist
 * (execute), deploying an empty source (deploy) and rebuilding a projection that does not exist
 * (admin); none changes anything.
 */
export async function probeAccess(client: GraphQLClient, surface: ApiSurface): Promise<Access> {
  await client.request('query SignIn { flows { id } }');
  const who = surface.firstQuery('me', 'viewer', 'whoami');
  if (who) {
    try {
      const data = await client.request<Record<string, { role?: string } | null>>(`query Who { ${who} { role } }`);
      const role = data[who]?.role;
      if (role === 'VIEWER' || role === 'OPERATOR' || role === 'EDITOR' || role === 'ADMIN') return fromRole(role);
    } catch {
      // fall back to the probes
    }
  }
  const noExecute = await forbidden(() => client.request('mutation Probe($id: ID!) { killExecution(id: $id) { id } }', { id: NO_SUCH_EXECUTION }));
  const noDeploy = await forbidden(() => client.request('mutation Probe { deployFlow(source: "") { id } }'));
  if (noExecute) return fromRole('VIEWER');
  if (noDeploy) return fromRole('OPERATOR');
  // ADMIN only: rebuilding a projection that does not exist is refused before anything happens.
  if (surface.hasMutation('rebuildProjection')) {
    const noAdmin = await forbidden(() => client.request('mutation Probe($name: String) { rebuildProjection(name: $name) { name } }', { name: NO_SUCH_PROJECTION }));
    return fromRole(noAdmin ? 'EDITOR' : 'ADMIN');
  }
  return { roleLabel: 'EDITOR or ADMIN', canExecute: true, canDeploy: true, canAdmin: true };
}
