import { GraphQLClient } from './graphql-client.js';
import { ROOT_FIELDS } from './operations.js';

interface TypeRef { kind: string; name: string | null; ofType?: TypeRef | null }
export interface FieldInfo { name: string; args: Array<{ name: string; type: TypeRef }>; type?: TypeRef }

/**
 * What this server's API offers: root fields read by introspection, so that features that
 * landed later (triggers, dead letters, projection rebuild) show up when they exist and a
 * clear "not available" otherwise. Without introspection only the contract's fields are assumed.
 */
export class ApiSurface {
  constructor(
    readonly queries: ReadonlyMap<string, FieldInfo>,
    readonly mutations: ReadonlyMap<string, FieldInfo>,
    readonly subscriptions: ReadonlySet<string>,
    readonly introspected: boolean,
  ) {}

  hasQuery = (name: string) => this.queries.has(name);
  hasMutation = (name: string) => this.mutations.has(name);
  /** The first of these names that the API has as a query or mutation. */
  firstQuery = (...names: string[]) => names.find((n) => this.queries.has(n));
  firstMutation = (...names: string[]) => names.find((n) => this.mutations.has(n));
}

export const namedType = (ref: TypeRef | undefined | null): string | undefined => {
  let current = ref;
  while (current && !current.name) current = current.ofType;
  return current?.name ?? undefined;
};

const CONTRACT_QUERIES = ['flow', 'flows', 'execution', 'executions', 'executionHistory', 'executionAt', 'logs'];
const CONTRACT_MUTATIONS = ['deployFlow', 'createExecution', 'killExecution', 'pauseExecution', 'resumeExecution', 'restartExecution', 'replayExecution'];

export async function loadApiSurface(client: GraphQLClient): Promise<ApiSurface> {
  try {
    const data = await client.request<{ __schema: { queryType: { fields: FieldInfo[] }; mutationType?: { fields: FieldInfo[] } | null; subscriptionType?: { fields: Array<{ name: string }> } | null } }>(ROOT_FIELDS);
    const s = data.__schema;
    return new ApiSurface(
      new Map(s.queryType.fields.map((f) => [f.name, f])),
      new Map((s.mutationType?.fields ?? []).map((f) => [f.name, f])),
      new Set((s.subscriptionType?.fields ?? []).map((f) => f.name)),
      true,
    );
  } catch {
    return new ApiSurface(
      new Map(CONTRACT_QUERIES.map((name) => [name, { name, args: [] }])),
      new Map(CONTRACT_MUTATIONS.map((name) => [name, { name, args: [] }])),
      new Set(['executionUpdated', 'executionEvents', 'executionLogs', 'executionsChanged']),
      false,
    );
  }
}
