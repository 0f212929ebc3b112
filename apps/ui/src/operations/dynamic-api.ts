import { namedType, type ApiSurface, type FieldInfo } from '../api/api-surface.js';
import type { GraphQLClient } from '../api/graphql-client.js';
import { TYPE_FIELDS } from '../api/operations.js';

/**
 * Features that land in the API after the UI (triggers, dead letters, projection rebuild) are
 * read through introspection: the list's scalar fields become columns, and a mutation's
 * arguments are filled from the row by name. A missing feature is reported, never guessed at.
 */
export interface DynamicList {
  readonly field: FieldInfo;
  readonly columns: readonly string[];
}

const unwrapKind = (ref: FieldInfo['type']): string | undefined => {
  let current = ref;
  while (current && (current.kind === 'NON_NULL' || current.kind === 'LIST')) current = current.ofType ?? undefined;
  return current?.kind;
};

export async function describeList(client: GraphQLClient, surface: ApiSurface, ...names: string[]): Promise<DynamicList | undefined> {
  const name = surface.firstQuery(...names);
  if (!name) return undefined;
  const field = surface.queries.get(name)!;
  const typeName = namedType(field.type);
  if (!typeName) return undefined;
  const { __type } = await client.request<{ __type: { fields: Array<{ name: string; type: FieldInfo['type'] }> } | null }>(TYPE_FIELDS, { name: typeName });
  const columns = (__type?.fields ?? []).filter((f) => ['SCALAR', 'ENUM'].includes(unwrapKind(f.type) ?? '')).map((f) => f.name);
  return { field, columns };
}

/** Lists whose root field takes no required argument. */
export const listQuery = (list: DynamicList) => `query List { ${list.field.name} { ${list.columns.join(' ')} } }`;

export const isRequired = (arg: FieldInfo['args'][number]) => arg.type.kind === 'NON_NULL';
export const argType = (arg: FieldInfo['args'][number]) => namedType(arg.type) ?? 'String';

/** The mutation's arguments that the row answers by name (`id` also from `triggerId`/`name`). */
export function argsFromRow(mutation: FieldInfo, row: Record<string, unknown>): { values: Record<string, unknown>; missing: FieldInfo['args'] } {
  const values: Record<string, unknown> = {};
  const missing: FieldInfo['args'] = [];
  for (const arg of mutation.args) {
    const value = row[arg.name] ?? (arg.name === 'id' ? (row.triggerId ?? row.name) : arg.name === 'triggerId' ? row.id : arg.name === 'name' ? row.id : undefined);
    if (value !== undefined && value !== null) values[arg.name] = value;
    else missing.push(arg);
  }
  return { values, missing };
}

export function mutationDocument(mutation: FieldInfo, returnsScalar: boolean): string {
  const params = mutation.args.map((a) => `$${a.name}: ${argType(a)}${isRequired(a) ? '!' : ''}`).join(', ');
  const args = mutation.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `mutation Act${params ? `(${params})` : ''} { ${mutation.name}${args ? `(${args})` : ''}${returnsScalar ? '' : ' { __typename }'} }`;
}

export function returnsScalar(mutation: FieldInfo): boolean {
  const name = namedType(mutation.type);
  return ['Boolean', 'Int', 'String', 'ID', 'JSON', 'Float', 'DateTime'].includes(name ?? '');
}
