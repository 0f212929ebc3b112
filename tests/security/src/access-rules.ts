import { eventually, GatewayClient } from '@chronicle/testing';
import type { Namespace, Permission, Scope } from './security-principals.js';

/** What the matrix needs of the installation: one of each thing per namespace. */
export interface Fixtures {
  readonly url: string;
  readonly admin: GatewayClient;
  /** An ended execution of flow `f`. */
  readonly execution: Record<Namespace, string>;
  /** A PAUSED execution of flow `p` (paused, resumed, restarted, replayed). */
  readonly paused: Record<Namespace, string>;
  /** A PAUSED execution of flow `p` that the kill routes aim at. */
  readonly victim: Record<Namespace, string>;
  /** A file uploaded as a FILE input of an execution in the namespace. */
  readonly file: Record<Namespace, string>;
  /** The kestra:/// URI of that FILE input, one of the execution's own files. */
  readonly fileUri: Record<Namespace, string>;
}

export interface Result {
  readonly code?: string;
  /** The answer's payload: null for "no such thing". */
  readonly value?: unknown;
}

export interface AccessCase {
  /** `Query.<field>`, `Mutation.<field>`, `Subscription.<field>`, or `<METHOD> <route>` as the controllers declare it. */
  readonly key: string;
  readonly variant?: string;
  readonly permission: Permission;
  readonly scope: Scope;
  /** Addresses one thing by id: out of reach, it must not exist (NOT_FOUND or null), not merely be refused. */
  readonly byId?: boolean;
  run(c: GatewayClient, ns: Namespace, fx: Fixtures): Promise<Result>;
}

export type Outcome = 'allowed' | 'refused';

export function outcomeOf(result: Result, byId: boolean | undefined): Outcome {
  if (result.code === 'FORBIDDEN' || result.code === 'UNAUTHENTICATED') return 'refused';
  if (byId && (result.code === 'NOT_FOUND' || result.value === null)) return 'refused';
  return 'allowed';
}

const gql = (query: string, vars: (ns: Namespace, fx: Fixtures) => Record<string, unknown> = (ns) => ({ ns })) =>
  async (c: GatewayClient, ns: Namespace, fx: Fixtures): Promise<Result> => {
    const body = await c.graphql(query, vars(ns, fx));
    const data = body.data as Record<string, unknown> | undefined | null;
    return { code: body.errors?.[0]?.extensions?.code, value: data ? Object.values(data)[0] : undefined };
  };

const STATUS_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 400: 'BAD_USER_INPUT' };

export const rest = (method: string, path: (ns: Namespace, fx: Fixtures) => string, body?: { type: string; text: string | ((ns: Namespace) => string) }, headers: Record<string, string> = {}) =>
  async (c: GatewayClient, ns: Namespace, fx: Fixtures): Promise<Result> => {
    const res = await fetch(`${fx.url}${path(ns, fx)}`, {
      method,
      headers: { authorization: `Bearer ${c.token}`, ...(body ? { 'content-type': body.type } : {}), ...headers },
      body: typeof body?.text === 'function' ? body.text(ns) : body?.text,
    });
    // Read to the end: an SSE stream of an ended execution and an export both finish.
    await res.text();
    return { code: res.status >= 400 ? (STATUS_CODES[res.status] ?? `HTTP_${res.status}`) : undefined };
  };

/**
 * A bulk route by ids (Kestra's): an id out of reach is listed as "not found" (it must not exist for
 * the caller), one whose state refuses the action as a CONFLICT (the caller was allowed to try).
 */
export const bulk = (method: string, path: string, body: (ns: Namespace, fx: Fixtures) => unknown) =>
  async (c: GatewayClient, ns: Namespace, fx: Fixtures): Promise<Result> => {
    const res = await fetch(`${fx.url}${path}`, { method, headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body(ns, fx)) });
    const answer = (await res.json()) as { invalids?: { code: string }[] };
    if (res.status === 400 && answer.invalids?.length) return { code: answer.invalids[0]!.code };
    return { code: res.status >= 400 ? (STATUS_CODES[res.status] ?? `HTTP_${res.status}`) : undefined };
  };

/** A stream that stays open (log follow): the status only, then the connection is closed. */
export const restStream = (path: (ns: Namespace, fx: Fixtures) => string) =>
  async (c: GatewayClient, ns: Namespace, fx: Fixtures): Promise<Result> => {
    const abort = new AbortController();
    const res = await fetch(`${fx.url}${path(ns, fx)}`, { headers: { authorization: `Bearer ${c.token}` }, signal: abort.signal });
    abort.abort();
    return { code: res.status >= 400 ? (STATUS_CODES[res.status] ?? `HTTP_${res.status}`) : undefined };
  };

/** A subscription's first answer: a payload, or the error it was refused with. */
export const subscription = (query: string, vars: (ns: Namespace, fx: Fixtures) => Record<string, unknown>, provoke?: (ns: Namespace, fx: Fixtures) => Promise<void>) =>
  async (c: GatewayClient, ns: Namespace, fx: Fixtures): Promise<Result> => {
    const sub = c.subscribe<Record<string, unknown>>(query, vars(ns, fx));
    try {
      if (provoke) {
        // Give a refusal the time to arrive before anything could be delivered.
        await new Promise((r) => setTimeout(r, 150));
        if (sub.errors.length === 0) await provoke(ns, fx);
      }
      await eventually(`${query} to answer`, async () => sub.received.length > 0 || sub.errors.length > 0, 20_000, 20);
      if (sub.errors.length > 0) return { code: codeOfSubscriptionError(sub.errors[0]) };
      return { value: sub.received[0] };
    } finally {
      sub.dispose();
    }
  };

function codeOfSubscriptionError(error: unknown): string {
  const first = Array.isArray(error) ? error[0] : error;
  const code = (first as { extensions?: { code?: string } } | undefined)?.extensions?.code;
  // graphql-ws refuses an unknown token in connection_init by closing the socket (4403 Forbidden).
  if (!code && (first as { code?: number } | undefined)?.code === 4403) return 'UNAUTHENTICATED';
  return code ?? 'UNKNOWN';
}

const startF = (ns: Namespace, fx: Fixtures) => fx.admin.data(`mutation($ns: String!) { createExecution(namespace: $ns, flowId: "f") { id } }`, { ns }).then(() => undefined);
const deploySource = (ns: Namespace) => `id: deployed\nnamespace: ${ns}\ntasks:\n  - id: a\n    type: Log\n    message: deployed\n`;
const TRIGGERS = ['sched', 'hook', 'kafka', 'upstream'] as const;

/** Every operation of the API with the permission it needs and where it applies. */
export const ACCESS_CASES: readonly AccessCase[] = [
  // Queries
  { key: 'Query.flow', permission: 'read', scope: 'namespace', run: gql(`query($ns: String!) { flow(namespace: $ns, id: "f") { id source } }`) },
  { key: 'Query.flows', permission: 'read', scope: 'namespace', run: gql(`query($ns: String!) { flows(namespace: $ns) { id } }`) },
  { key: 'Query.flowRevisions', permission: 'read', scope: 'namespace', run: gql(`query($ns: String!) { flowRevisions(namespace: $ns, id: "f") { revision } }`) },
  { key: 'Query.execution', permission: 'read', scope: 'namespace', byId: true, run: gql(`query($id: ID!) { execution(id: $id) { id inputs } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  { key: 'Query.executions', permission: 'read', scope: 'namespace', run: gql(`query($ns: String!) { executions(namespace: $ns) { totalCount } }`) },
  { key: 'Query.executionHistory', permission: 'read', scope: 'namespace', byId: true, run: gql(`query($id: ID!) { executionHistory(id: $id) { revision data } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  { key: 'Query.executionAt', permission: 'read', scope: 'namespace', byId: true, run: gql(`query($id: ID!) { executionAt(id: $id, revision: 0) { id } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  { key: 'Query.logs', permission: 'read', scope: 'namespace', byId: true, run: gql(`query($id: ID!) { logs(executionId: $id) { message } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  { key: 'Query.triggers', permission: 'read', scope: 'namespace', run: gql(`query($ns: String!) { triggers(namespace: $ns) { id } }`) },
  { key: 'Query.audit', variant: 'namespace', permission: 'read', scope: 'namespace', run: gql(`query($ns: String!) { audit(namespace: $ns, first: 5) { action } }`) },
  { key: 'Query.audit', variant: 'execution', permission: 'read', scope: 'namespace', byId: true, run: gql(`query($id: ID!) { audit(executionId: $id, first: 5) { action } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  { key: 'Query.projections', permission: 'read', scope: 'filtered', run: gql(`{ projections { name } }`, () => ({})) },
  { key: 'Query.dashboard', variant: 'namespace', permission: 'read', scope: 'namespace', run: gql(`query($ns: String!) { dashboard(namespace: $ns, from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z") { running } }`) },
  { key: 'Query.dashboard', variant: 'every namespace', permission: 'read', scope: 'global', run: gql(`{ dashboard(from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z") { running } }`, () => ({})) },
  { key: 'Query.stalledExecutions', permission: 'read', scope: 'filtered', run: gql(`{ stalledExecutions { id namespace } }`, () => ({})) },
  { key: 'Query.deadLetterQueues', permission: 'execute', scope: 'global', run: gql(`{ deadLetterQueues { topic } }`, () => ({})) },
  { key: 'Query.deadLetters', permission: 'execute', scope: 'global', run: gql(`{ deadLetters(topic: "chronicle.triggers") { offset } }`, () => ({})) },
  { key: 'Query.deadLetter', permission: 'execute', scope: 'global', run: gql(`{ deadLetter(topic: "chronicle.triggers", offset: "0") { offset } }`, () => ({})) },
  // Mutations
  { key: 'Mutation.deployFlow', permission: 'deploy', scope: 'namespace', run: gql(`mutation($s: String!) { deployFlow(source: $s) { id } }`, (ns) => ({ s: deploySource(ns) })) },
  { key: 'Mutation.disableFlow', permission: 'deploy', scope: 'namespace', run: gql(`mutation($ns: String!) { disableFlow(namespace: $ns, id: "dis") { id } }`) },
  { key: 'Mutation.enableFlow', permission: 'deploy', scope: 'namespace', run: gql(`mutation($ns: String!) { enableFlow(namespace: $ns, id: "dis") { id } }`) },
  { key: 'Mutation.deleteFlow', permission: 'deploy', scope: 'namespace', run: gql(`mutation($ns: String!) { deleteFlow(namespace: $ns, id: "del") { id } }`) },
  { key: 'Mutation.createExecution', permission: 'execute', scope: 'namespace', run: gql(`mutation($ns: String!) { createExecution(namespace: $ns, flowId: "f") { id } }`) },
  { key: 'Mutation.killExecution', permission: 'execute', scope: 'namespace', byId: true, run: gql(`mutation($id: ID!) { killExecution(id: $id) { id } }`, (ns, fx) => ({ id: fx.victim[ns] })) },
  { key: 'Mutation.updateExecution', permission: 'execute', scope: 'namespace', byId: true, run: gql(`mutation($id: ID!) { updateExecution(id: $id, message: "checked by the security suite") { id } }`, (ns, fx) => ({ id: fx.paused[ns] })) },
  { key: 'Mutation.pauseExecution', permission: 'execute', scope: 'namespace', byId: true, run: gql(`mutation($id: ID!) { pauseExecution(id: $id) { id } }`, (ns, fx) => ({ id: fx.paused[ns] })) },
  { key: 'Mutation.resumeExecution', permission: 'execute', scope: 'namespace', byId: true, run: gql(`mutation($id: ID!) { resumeExecution(id: $id, approve: false) { id } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  { key: 'Mutation.restartExecution', permission: 'execute', scope: 'namespace', byId: true, run: gql(`mutation($id: ID!) { restartExecution(id: $id) { id } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  // Named locks: the list is filtered to the caller's namespaces; a force release needs ADMIN of the holder's
  // namespace (a lock nobody holds answers LOCK_NOT_HELD once the role is checked).
  { key: 'Query.namedLocks', permission: 'read', scope: 'filtered', run: gql(`{ namedLocks { name } }`, () => ({})) },
  // Locks are per namespace: one namespace's, asked for by name.
  { key: 'Query.namedLocks', variant: 'one namespace', permission: 'read', scope: 'namespace', run: gql(`query($ns: String!) { namedLocks(namespace: $ns) { name } }`) },
  { key: 'Mutation.releaseLock', permission: 'admin', scope: 'filtered', run: gql(`mutation { releaseLock(name: "security-suite-none") { grantedTo } }`, () => ({})) },
  // A breakpoint answer steers a run: OPERATOR of its namespace. The fixture is paused by a Pause task, not a
  // breakpoint, so the answer is refused as a conflict and the fixture stays as it is.
  { key: 'Mutation.resolveBreakpoint', permission: 'execute', scope: 'namespace', byId: true, run: gql(`mutation($id: ID!) { resolveBreakpoint(id: $id, action: CONTINUE) { id } }`, (ns, fx) => ({ id: fx.paused[ns] })) },
  // Rewinding rewrites what an execution does next: EDITOR. A point it does not offer leaves the fixture as it is.
  { key: 'Mutation.rewindExecution', permission: 'deploy', scope: 'namespace', byId: true, run: gql(`mutation($id: ID!) { rewindExecution(id: $id, beforeTaskId: "no-such-task") { id } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  { key: 'Mutation.replayExecution', permission: 'execute', scope: 'namespace', byId: true, run: gql(`mutation($id: ID!) { replayExecution(id: $id, idempotencyKey: "security") { id } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  ...TRIGGERS.flatMap((trigger): AccessCase[] => [
    { key: 'Mutation.disableTrigger', variant: trigger, permission: 'deploy', scope: 'namespace', run: gql(`mutation($ns: String!, $t: String!) { disableTrigger(namespace: $ns, flowId: "t", triggerId: $t) { id } }`, (ns) => ({ ns, t: trigger })) },
    { key: 'Mutation.enableTrigger', variant: trigger, permission: 'deploy', scope: 'namespace', run: gql(`mutation($ns: String!, $t: String!) { enableTrigger(namespace: $ns, flowId: "t", triggerId: $t) { id } }`, (ns) => ({ ns, t: trigger })) },
  ]),
  {
    key: 'Mutation.backfillTrigger', variant: 'sched', permission: 'execute', scope: 'namespace',
    run: gql(`mutation($ns: String!) { backfillTrigger(namespace: $ns, flowId: "t", triggerId: "sched", from: "2019-12-31T00:00:00Z", to: "2020-01-02T00:00:00Z") { started skipped } }`),
  },
  { key: 'Mutation.purgeExecutions', variant: 'namespace', permission: 'admin', scope: 'namespace', run: gql(`mutation($ns: String!) { purgeExecutions(namespace: $ns, olderThanDays: 36500, dryRun: true) { count } }`) },
  { key: 'Mutation.purgeExecutions', variant: 'every namespace', permission: 'admin', scope: 'global', run: gql(`mutation { purgeExecutions(olderThanDays: 36500, dryRun: true) { count } }`, () => ({})) },
  // An unknown projection: the authorization comes first, and nothing is rebuilt under the suite's feet.
  { key: 'Mutation.rebuildProjection', permission: 'admin', scope: 'global', run: gql(`mutation { rebuildProjection(name: "security-suite-none") { name } }`, () => ({})) },
  { key: 'Mutation.redriveDeadLetter', permission: 'execute', scope: 'global', run: gql(`mutation { redriveDeadLetter(topic: "chronicle.triggers", offset: "0") { offset } }`, () => ({})) },
  // Subscriptions
  { key: 'Subscription.executionUpdated', permission: 'read', scope: 'namespace', byId: true, run: subscription(`subscription($id: ID!) { executionUpdated(id: $id) { id inputs } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  { key: 'Subscription.executionEvents', permission: 'read', scope: 'namespace', byId: true, run: subscription(`subscription($id: ID!) { executionEvents(id: $id) { revision data } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  { key: 'Subscription.executionLogs', permission: 'read', scope: 'namespace', byId: true, run: subscription(`subscription($id: ID!) { executionLogs(id: $id) { message } }`, (ns, fx) => ({ id: fx.execution[ns] })) },
  { key: 'Subscription.executionsChanged', permission: 'read', scope: 'namespace', run: subscription(`subscription($ns: String!) { executionsChanged(namespace: $ns) { id } }`, (ns) => ({ ns }), startF) },
  // REST, as the controllers declare the routes
  { key: 'POST /api/v1/executions/:namespace/:flowId', permission: 'execute', scope: 'namespace', run: rest('POST', (ns) => `/api/v1/executions/${ns}/f`, { type: 'application/json', text: '{}' }) },
  { key: 'GET /api/v1/executions/:id', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}`) },
  { key: 'DELETE /api/v1/executions/:id/kill', permission: 'execute', scope: 'namespace', byId: true, run: rest('DELETE', (ns, fx) => `/api/v1/executions/${fx.victim[ns]}/kill`) },
  { key: 'GET /api/v1/executions/:id/events', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/events`) },
  { key: 'GET /api/v1/files/:id', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/files/${fx.file[ns]}`) },
  { key: 'GET /api/v1/executions/:id/file', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/file?path=${encodeURIComponent(fx.fileUri[ns])}`) },
  { key: 'GET /api/v1/executions/:id/file/metas', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/file/metas?path=${encodeURIComponent(fx.fileUri[ns])}`) },
  { key: 'GET /api/v1/namespaces/:namespace/files', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/namespaces/${ns}/files?path=/none.txt`) },
  { key: 'GET /api/v1/namespaces/:namespace/files/directory', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/namespaces/${ns}/files/directory`) },
  // No file part: a caller that may write is answered BAD_USER_INPUT, one that may not FORBIDDEN, and nothing is written.
  { key: 'POST /api/v1/namespaces/:namespace/files', permission: 'deploy', scope: 'namespace', run: rest('POST', (ns) => `/api/v1/namespaces/${ns}/files?path=/x.txt`, { type: 'application/json', text: '{}' }) },
  { key: 'DELETE /api/v1/namespaces/:namespace/files', permission: 'deploy', scope: 'namespace', run: rest('DELETE', (ns) => `/api/v1/namespaces/${ns}/files?path=/none.txt`) },
  // REST parity (Kestra's paths): the same commands and reads as the GraphQL fields above, the same targets.
  { key: 'GET /api/v1/executions/search', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/executions/search?namespace=${ns}`) },
  { key: 'GET /api/v1/executions/:id/follow', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/follow`) },
  // A live (PAUSED) target: an allowed delete is a 409 and the fixture stays.
  { key: 'DELETE /api/v1/executions/:id', permission: 'admin', scope: 'namespace', byId: true, run: rest('DELETE', (ns, fx) => `/api/v1/executions/${fx.paused[ns]}`) },
  { key: 'PATCH /api/v1/executions/:id', permission: 'execute', scope: 'namespace', byId: true, run: rest('PATCH', (ns, fx) => `/api/v1/executions/${fx.paused[ns]}`, { type: 'application/json', text: '{"message":"checked by the security suite"}' }) },
  { key: 'GET /api/v1/executions/:id/children', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/children`) },
  { key: 'GET /api/v1/executions/:id/descendants', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/descendants`) },
  { key: 'GET /api/v1/executions/:id/ancestors', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/ancestors`) },
  { key: 'POST /api/v1/executions/:id/pause', permission: 'execute', scope: 'namespace', byId: true, run: rest('POST', (ns, fx) => `/api/v1/executions/${fx.paused[ns]}/pause`) },
  { key: 'POST /api/v1/executions/:id/resume', permission: 'execute', scope: 'namespace', byId: true, run: rest('POST', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/resume?approve=false`) },
  { key: 'POST /api/v1/executions/:id/restart', permission: 'execute', scope: 'namespace', byId: true, run: rest('POST', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/restart`) },
  { key: 'GET /api/v1/locks', permission: 'read', scope: 'filtered', run: rest('GET', () => '/api/v1/locks') },
  { key: 'GET /api/v1/locks', variant: 'one namespace', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/locks?namespace=${ns}`) },
  { key: 'DELETE /api/v1/locks', permission: 'admin', scope: 'filtered', run: rest('DELETE', () => '/api/v1/locks?name=security-suite-none') },
  { key: 'POST /api/v1/executions/:id/breakpoint/:action', permission: 'execute', scope: 'namespace', byId: true, run: rest('POST', (ns, fx) => `/api/v1/executions/${fx.paused[ns]}/breakpoint/continue`) },
  { key: 'POST /api/v1/executions/:id/rewind', permission: 'deploy', scope: 'namespace', byId: true, run: rest('POST', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/rewind`, { type: 'application/json', text: '{"beforeTaskId":"no-such-task"}' }) },
  { key: 'POST /api/v1/executions/:id/replay', permission: 'execute', scope: 'namespace', byId: true, run: rest('POST', (ns, fx) => `/api/v1/executions/${fx.execution[ns]}/replay`, undefined, { 'idempotency-key': 'security' }) },
  { key: 'GET /api/v1/logs/:executionId', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/logs/${fx.execution[ns]}`) },
  { key: 'GET /api/v1/logs/:executionId/download', permission: 'read', scope: 'namespace', byId: true, run: rest('GET', (ns, fx) => `/api/v1/logs/${fx.execution[ns]}/download`) },
  { key: 'GET /api/v1/logs/:executionId/follow', permission: 'read', scope: 'namespace', byId: true, run: restStream((ns, fx) => `/api/v1/logs/${fx.execution[ns]}/follow`) },
  { key: 'GET /api/v1/flows/search', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/flows/search?namespace=${ns}`) },
  { key: 'POST /api/v1/flows/validate', permission: 'read', scope: 'filtered', run: rest('POST', () => '/api/v1/flows/validate', { type: 'application/x-yaml', text: deploySource }) },
  { key: 'POST /api/v1/flows', permission: 'deploy', scope: 'namespace', run: rest('POST', () => '/api/v1/flows', { type: 'application/x-yaml', text: deploySource }) },
  { key: 'GET /api/v1/flows/:namespace', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/flows/${ns}`) },
  { key: 'GET /api/v1/flows/:namespace/:id', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/flows/${ns}/f`) },
  { key: 'GET /api/v1/flows/:namespace/:id/revisions', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/flows/${ns}/f/revisions`) },
  { key: 'PUT /api/v1/flows/:namespace/:id', permission: 'deploy', scope: 'namespace', run: rest('PUT', (ns) => `/api/v1/flows/${ns}/deployed`, { type: 'application/x-yaml', text: deploySource }) },
  { key: 'DELETE /api/v1/flows/:namespace/:id', permission: 'deploy', scope: 'namespace', run: rest('DELETE', (ns) => `/api/v1/flows/${ns}/del`) },
  { key: 'POST /api/v1/flows/disable/by-ids', permission: 'deploy', scope: 'namespace', run: rest('POST', () => '/api/v1/flows/disable/by-ids', { type: 'application/json', text: (ns) => JSON.stringify([{ namespace: ns, id: 'dis' }]) }) },
  { key: 'POST /api/v1/flows/enable/by-ids', permission: 'deploy', scope: 'namespace', run: rest('POST', () => '/api/v1/flows/enable/by-ids', { type: 'application/json', text: (ns) => JSON.stringify([{ namespace: ns, id: 'dis' }]) }) },
  { key: 'GET /api/v1/triggers/search', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/triggers/search?namespace=${ns}`) },
  { key: 'GET /api/v1/triggers/:namespace/:flowId', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/triggers/${ns}/t`) },
  { key: 'POST /api/v1/triggers/set-disabled/by-triggers', permission: 'deploy', scope: 'namespace', run: rest('POST', () => '/api/v1/triggers/set-disabled/by-triggers', { type: 'application/json', text: (ns) => JSON.stringify({ triggers: [{ namespace: ns, flowId: 't', triggerId: 'sched' }], disabled: false }) }) },
  { key: 'PUT /api/v1/triggers', permission: 'execute', scope: 'namespace', run: rest('PUT', () => '/api/v1/triggers', { type: 'application/json', text: (ns) => JSON.stringify({ namespace: ns, flowId: 't', triggerId: 'sched', backfill: { start: '2019-12-31T00:00:00Z', end: '2020-01-02T00:00:00Z' } }) }) },
  // Kestra's bulk routes: by ids, each id checked (out of reach = not found); by query, within the namespace asked for.
  // The targets are left as they are: a live execution refuses delete and replay, an ended one kill, pause, resume and restart.
  { key: 'DELETE /api/v1/executions/kill/by-ids', permission: 'execute', scope: 'namespace', byId: true, run: bulk('DELETE', '/api/v1/executions/kill/by-ids', (ns, fx) => [fx.execution[ns]]) },
  { key: 'POST /api/v1/executions/pause/by-ids', permission: 'execute', scope: 'namespace', byId: true, run: bulk('POST', '/api/v1/executions/pause/by-ids', (ns, fx) => [fx.execution[ns]]) },
  { key: 'POST /api/v1/executions/resume/by-ids', permission: 'execute', scope: 'namespace', byId: true, run: bulk('POST', '/api/v1/executions/resume/by-ids', (ns, fx) => [fx.execution[ns]]) },
  { key: 'POST /api/v1/executions/restart/by-ids', permission: 'execute', scope: 'namespace', byId: true, run: bulk('POST', '/api/v1/executions/restart/by-ids', (ns, fx) => [fx.execution[ns]]) },
  { key: 'POST /api/v1/executions/replay/by-ids', permission: 'execute', scope: 'namespace', byId: true, run: bulk('POST', '/api/v1/executions/replay/by-ids', (ns, fx) => [fx.paused[ns]]) },
  { key: 'POST /api/v1/executions/labels/by-ids', permission: 'execute', scope: 'namespace', byId: true, run: bulk('POST', '/api/v1/executions/labels/by-ids', (ns, fx) => ({ executionsId: [fx.execution[ns]], executionLabels: [{ key: 'checked', value: 'security' }] })) },
  { key: 'DELETE /api/v1/executions/by-ids', permission: 'admin', scope: 'namespace', byId: true, run: bulk('DELETE', '/api/v1/executions/by-ids', (ns, fx) => [fx.paused[ns]]) },
  { key: 'DELETE /api/v1/executions/kill/by-query', permission: 'execute', scope: 'namespace', run: rest('DELETE', (ns) => `/api/v1/executions/kill/by-query?namespace=${ns}&flowId=none`) },
  { key: 'POST /api/v1/executions/pause/by-query', permission: 'execute', scope: 'namespace', run: rest('POST', (ns) => `/api/v1/executions/pause/by-query?namespace=${ns}&flowId=none`) },
  { key: 'POST /api/v1/executions/resume/by-query', permission: 'execute', scope: 'namespace', run: rest('POST', (ns) => `/api/v1/executions/resume/by-query?namespace=${ns}&flowId=none`) },
  { key: 'POST /api/v1/executions/restart/by-query', permission: 'execute', scope: 'namespace', run: rest('POST', (ns) => `/api/v1/executions/restart/by-query?namespace=${ns}&flowId=none`) },
  { key: 'POST /api/v1/executions/replay/by-query', permission: 'execute', scope: 'namespace', run: rest('POST', (ns) => `/api/v1/executions/replay/by-query?namespace=${ns}&flowId=none`) },
  { key: 'POST /api/v1/executions/labels/by-query', permission: 'execute', scope: 'namespace', run: rest('POST', (ns) => `/api/v1/executions/labels/by-query?namespace=${ns}&flowId=none`, { type: 'application/json', text: '[{"key":"checked","value":"security"}]' }) },
  { key: 'DELETE /api/v1/executions/by-query', permission: 'admin', scope: 'namespace', run: rest('DELETE', (ns) => `/api/v1/executions/by-query?namespace=${ns}&flowId=none`) },
  // Kestra's KV API: read to list and get, deploy to write and delete (as namespace files).
  { key: 'GET /api/v1/namespaces/:namespace/kv', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/namespaces/${ns}/kv`) },
  { key: 'GET /api/v1/namespaces/:namespace/kv/:key', permission: 'read', scope: 'namespace', run: rest('GET', (ns) => `/api/v1/namespaces/${ns}/kv/unset`) },
  { key: 'PUT /api/v1/namespaces/:namespace/kv/:key', permission: 'deploy', scope: 'namespace', run: rest('PUT', (ns) => `/api/v1/namespaces/${ns}/kv/written`, { type: 'application/json', text: '"by the security suite"' }) },
  { key: 'DELETE /api/v1/namespaces/:namespace/kv/:key', permission: 'deploy', scope: 'namespace', run: rest('DELETE', (ns) => `/api/v1/namespaces/${ns}/kv/never-set`) },
  { key: 'DELETE /api/v1/namespaces/:namespace/kv', permission: 'deploy', scope: 'namespace', run: rest('DELETE', (ns) => `/api/v1/namespaces/${ns}/kv`, { type: 'application/json', text: '{"keys":["never-set"]}' }) },
  { key: 'GET /api/v1/admin/events:export', variant: 'one stream', permission: 'admin', scope: 'global', run: rest('GET', (ns, fx) => `/api/v1/admin/events:export?stream=execution-${fx.execution[ns]}`) },
  { key: 'GET /api/v1/admin/events:export', variant: 'whole log', permission: 'admin', scope: 'global', run: rest('GET', () => '/api/v1/admin/events:export') },
  { key: 'POST /api/v1/admin/events:import', permission: 'admin', scope: 'global', run: rest('POST', () => '/api/v1/admin/events:import', { type: 'application/x-ndjson', text: '' }) },
];

/** Routes without a token: health for probes, webhooks authorised by their key (tested apart). */
export const PUBLIC_ROUTES = ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /api/v1/openapi.json', 'ALL /api/v1/executions/webhook/:namespace/:flowId/:key'];
