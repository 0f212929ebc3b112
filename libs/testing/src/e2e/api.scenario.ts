import { expect, it } from 'vitest';
import { eventually, GatewayClient } from './gateway-client.js';

/** Tokens the API scenario needs: one per role, and an OPERATOR limited to `rbac.team`. */
export const API_TOKENS = {
  ADMIN: 'e2e-api-admin-token-000000000001',
  EDITOR: 'e2e-api-editor-token-00000000001',
  OPERATOR: 'e2e-api-operator-token-0000000001',
  VIEWER: 'e2e-api-viewer-token-000000000001',
  TEAM_OPERATOR: 'e2e-api-team-operator-token-00001',
} as const;

/** `CHRONICLE_TOKENS` for API_TOKENS (append your own entries with a comma). */
export const API_TOKENS_SPEC = `ADMIN=${API_TOKENS.ADMIN},EDITOR=${API_TOKENS.EDITOR},OPERATOR=${API_TOKENS.OPERATOR},VIEWER=${API_TOKENS.VIEWER},OPERATOR:rbac.team=${API_TOKENS.TEAM_OPERATOR}`;

export interface ApiScenarioContext {
  /** Gateway A. */
  readonly url: string;
  /** Gateway B: another process in distributed mode; the same gateway in standalone mode. */
  readonly otherUrl: string;
}

const TERMINAL = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED']);

const logsFlow = (namespace: string, id: string, tasks: number) => `id: ${id}
namespace: ${namespace}
tasks:
${Array.from({ length: tasks }, (_, i) => `  - id: t${i}\n    type: Log\n    message: "line ${i}"`).join('\n')}
`;

const EXECUTION_FIELDS = `id namespace flowId flowRevision state stateHistory { state date } inputs outputs labels originalId parentId startDate endDate revision
  taskRuns { id taskId parentTaskRunId value state outputs startDate endDate attempts { number state startDate endDate error } }`;

async function finished(client: GatewayClient, id: string): Promise<{ state: string; revision: number }> {
  return eventually(`execution ${id} to end`, async () => {
    const { execution } = await client.data(`query($id: ID!) { execution(id: $id) { state revision } }`, { id });
    return execution && TERMINAL.has(execution.state) ? execution : undefined;
  }, 60_000);
}

/**
 * The API's end-to-end checks (issue 5), the same in every mode: updates reach a subscriber on
 * any gateway in order, a reconnecting subscriber misses nothing, the role matrix, pagination
 * under concurrent inserts, and time travel at every revision.
 */
export function apiScenario(context: () => ApiScenarioContext): void {
  const admin = () => new GatewayClient(context().url, API_TOKENS.ADMIN);
  const adminB = () => new GatewayClient(context().otherUrl, API_TOKENS.ADMIN);

  it('shows a subscriber on gateway B an execution started through gateway A, in order', async () => {
    const a = admin();
    const b = adminB();
    await a.data(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: logsFlow('api.live', 'five', 5) });
    const changes = b.subscribe<{ executionsChanged: { id: string; state: string; revision: number } }>(
      `subscription { executionsChanged(namespace: "api.live", flowId: "five") { id state revision } }`, {});
    try {
      await new Promise((r) => setTimeout(r, 500)); // let the subscription reach gateway B
      const { createExecution } = await a.data(`mutation { createExecution(namespace: "api.live", flowId: "five") { id } }`);
      const done = await finished(a, createExecution.id);
      expect(done.state).toBe('SUCCESS');
      const mine = await eventually('the end on gateway B', async () => {
        const seen = changes.received.map((m) => m.executionsChanged).filter((e) => e.id === createExecution.id);
        return seen.some((e) => e.state === 'SUCCESS') ? seen : undefined;
      }, 15_000);
      expect(changes.errors).toEqual([]);
      const revisions = mine.map((e) => e.revision);
      expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
      expect(new Set(revisions).size).toBe(revisions.length);
      expect(mine.map((e) => e.state).filter((s, i, all) => i === 0 || s !== all[i - 1])).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);

      // The whole history over gateway B's executionEvents, from the first event, in order.
      const events = b.subscribe<{ executionEvents: { revision: number } }>(`subscription($id: ID!) { executionEvents(id: $id) { revision } }`, { id: createExecution.id });
      try {
        const received = await eventually('every event on gateway B', async () =>
          events.received.length === done.revision + 1 ? events.received.map((m) => m.executionEvents.revision) : undefined, 10_000);
        expect(received).toEqual(Array.from({ length: done.revision + 1 }, (_, i) => i));
      } finally {
        events.dispose();
      }
    } finally {
      changes.dispose();
    }
  });

  it('lets a subscriber that reconnects with the last revision it saw miss nothing and see nothing twice', async () => {
    const a = admin();
    const b = adminB();
    await a.data(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: logsFlow('api.live', 'twenty', 20) });
    const { createExecution } = await a.data(`mutation { createExecution(namespace: "api.live", flowId: "twenty") { id } }`);
    const id = createExecution.id as string;
    const seen: number[] = [];
    // First connection: goes away after a few events.
    const first = b.subscribe<{ executionEvents: { revision: number } }>(`subscription($id: ID!) { executionEvents(id: $id) { revision } }`, { id });
    await eventually('a few events', async () => first.received.length >= 3, 15_000);
    first.dispose();
    seen.push(...first.received.map((m) => m.executionEvents.revision));
    // Second connection, on the other gateway: resumes after the last revision seen.
    const second = a.subscribe<{ executionEvents: { revision: number } }>(
      `subscription($id: ID!, $after: Int) { executionEvents(id: $id, afterRevision: $after) { revision } }`, { id, after: seen.at(-1) });
    try {
      const done = await finished(a, id);
      await eventually('the rest', async () => seen.length + second.received.length >= done.revision + 1, 15_000);
      seen.push(...second.received.map((m) => m.executionEvents.revision));
      expect(second.errors).toEqual([]);
      expect(seen).toEqual(Array.from({ length: done.revision + 1 }, (_, i) => i));
    } finally {
      second.dispose();
    }

    // SSE: the same with Last-Event-ID.
    const sse = await fetch(`${context().otherUrl}/api/v1/executions/${id}/events`, { headers: { authorization: `Bearer ${API_TOKENS.VIEWER}`, 'last-event-id': '10' } });
    expect(sse.status).toBe(200);
    const text = await sse.text();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids[0]).toBe(11);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 11));
    expect(text).toMatch(/event: ExecutionSucceeded/);
  });

  it('pages executions while others are being created, skipping and repeating none', async () => {
    const a = admin();
    await a.data(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: logsFlow('api.pages', 'one', 1) });
    for (let i = 0; i < 25; i++) await a.data(`mutation { createExecution(namespace: "api.pages", flowId: "one") { id } }`);
    await eventually('25 executions listed', async () => (await a.data(`{ executions(namespace: "api.pages") { totalCount } }`)).executions.totalCount >= 25, 15_000);
    let inserting = true;
    const inserts = (async () => {
      while (inserting) await a.data(`mutation { createExecution(namespace: "api.pages", flowId: "one") { id } }`);
    })();
    const seen: string[] = [];
    let after: string | null = null;
    try {
      for (;;) {
        const { executions }: any = await a.data(`query($after: String) { executions(namespace: "api.pages", first: 4, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after });
        seen.push(...executions.edges.map((e: any) => e.node.id));
        if (!executions.pageInfo.hasNextPage) break;
        after = executions.pageInfo.endCursor;
      }
    } finally {
      inserting = false;
      await inserts;
    }
    expect(new Set(seen).size).toBe(seen.length);
    // Everything at or older than the first one seen was listed, in order.
    await new Promise((r) => setTimeout(r, 1_000));
    const { executions: all } = await a.data(`{ executions(namespace: "api.pages", first: 500) { edges { node { id } } } }`);
    const ids = all.edges.map((e: any) => e.node.id as string);
    expect(seen).toEqual(ids.slice(ids.indexOf(seen[0]!)));
    expect(seen.length).toBeGreaterThanOrEqual(25);
  });

  it('time travel: executionAt at every revision of a 10+ event execution equals the state the live updates showed then', async () => {
    const a = admin();
    await a.data(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: logsFlow('api.travel', 'three', 3) });
    const { createExecution } = await a.data(`mutation { createExecution(namespace: "api.travel", flowId: "three") { id } }`);
    const id = createExecution.id as string;
    const live = a.subscribe<{ executionUpdated: Record<string, any> }>(`subscription($id: ID!) { executionUpdated(id: $id, afterRevision: -1) { ${EXECUTION_FIELDS} } }`, { id });
    try {
      const done = await finished(a, id);
      expect(done.revision + 1).toBeGreaterThanOrEqual(10);
      await eventually('the final state over executionUpdated', async () => live.received.some((m) => m.executionUpdated.revision === done.revision), 10_000);
      const states = live.received.map((m) => m.executionUpdated);
      expect(states.length).toBeGreaterThanOrEqual(2);
      for (const state of states) {
        const { executionAt } = await a.data(`query($id: ID!, $r: Int!) { executionAt(id: $id, revision: $r) { ${EXECUTION_FIELDS} } }`, { id, r: state.revision });
        expect(executionAt, `revision ${state.revision}`).toEqual(state);
      }
      const { execution } = await a.data(`query($id: ID!) { execution(id: $id) { ${EXECUTION_FIELDS} } }`, { id });
      let previous: any;
      for (let r = 0; r <= done.revision; r++) {
        const { executionAt } = await a.data(`query($id: ID!, $r: Int!) { executionAt(id: $id, revision: $r) { ${EXECUTION_FIELDS} } }`, { id, r });
        expect(executionAt.revision).toBe(r);
        if (previous) expect(executionAt.stateHistory.length).toBeGreaterThanOrEqual(previous.stateHistory.length);
        previous = executionAt;
      }
      expect(previous).toEqual(execution);
    } finally {
      live.dispose();
    }
  });

  it('enforces the role matrix on every operation, namespace-limited tokens included', async () => {
    const a = admin();
    for (const ns of ['rbac.team', 'rbac.other']) {
      await a.data(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: logsFlow(ns, 'f', 1) });
      for (const doomed of ['del', 'dis']) await a.data(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: logsFlow(ns, doomed, 1) });
    }
    const fixtures: Record<string, string> = {};
    for (const ns of ['rbac.team', 'rbac.other']) {
      const { createExecution } = await a.data(`mutation($ns: String!) { createExecution(namespace: $ns, flowId: "f") { id } }`, { ns });
      fixtures[ns] = createExecution.id;
      await finished(a, createExecution.id);
    }
    type Permission = 'read' | 'execute' | 'deploy';
    interface Operation { name: string; permission: Permission; run(c: GatewayClient, ns: string, id: string): Promise<{ code?: string; hidden?: boolean }> }
    const gql = (query: string, field: string) => async (c: GatewayClient, ns: string, id: string) => {
      const res = await c.graphql<Record<string, unknown>>(query, { ns, id, s: logsFlow(ns, 'f', 1) });
      const code = res.errors?.[0]?.extensions?.code;
      return { code, hidden: code === 'NOT_FOUND' || (!res.errors && (res.data?.[field] === null || (Array.isArray(res.data?.[field]) && (res.data![field] as unknown[]).length === 0))) };
    };
    const rest = (method: string, path: (ns: string, id: string) => string, body?: unknown) => async (c: GatewayClient, ns: string, id: string) => {
      const res = await fetch(`${c.url}${path(ns, id)}`, {
        method, headers: { authorization: `Bearer ${c.token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
      });
      const json: any = res.headers.get('content-type')?.includes('json') ? await res.json() : {};
      if (res.status === 200) await res.body?.cancel().catch(() => undefined);
      return { code: res.status >= 400 ? json.code : undefined, hidden: res.status === 404 };
    };
    const operations: Operation[] = [
      { name: 'flow', permission: 'read', run: gql(`query($ns: String!) { flow(namespace: $ns, id: "f") { id } }`, 'flow') },
      { name: 'flows', permission: 'read', run: gql(`query($ns: String!) { flows(namespace: $ns) { id } }`, 'flows') },
      { name: 'flowRevisions', permission: 'read', run: gql(`query($ns: String!) { flowRevisions(namespace: $ns, id: "f") { revision } }`, 'flowRevisions') },
      { name: 'execution', permission: 'read', run: gql(`query($id: ID!) { execution(id: $id) { id } }`, 'execution') },
      { name: 'executions', permission: 'read', run: gql(`query($ns: String!) { executions(namespace: $ns) { totalCount } }`, 'executions') },
      { name: 'executionHistory', permission: 'read', run: gql(`query($id: ID!) { executionHistory(id: $id) { revision } }`, 'executionHistory') },
      { name: 'executionAt', permission: 'read', run: gql(`query($id: ID!) { executionAt(id: $id, revision: 0) { id } }`, 'executionAt') },
      { name: 'logs', permission: 'read', run: gql(`query($id: ID!) { logs(executionId: $id) { message } }`, 'logs') },
      { name: 'projections', permission: 'read', run: gql(`{ projections { name } }`, 'projections') },
      { name: 'REST GET execution', permission: 'read', run: rest('GET', (_ns, id) => `/api/v1/executions/${id}`) },
      { name: 'REST SSE events', permission: 'read', run: rest('GET', (_ns, id) => `/api/v1/executions/${id}/events`) },
      { name: 'createExecution', permission: 'execute', run: gql(`mutation($ns: String!) { createExecution(namespace: $ns, flowId: "f") { id } }`, 'createExecution') },
      { name: 'killExecution', permission: 'execute', run: gql(`mutation($id: ID!) { killExecution(id: $id) { id } }`, 'killExecution') },
      { name: 'pauseExecution', permission: 'execute', run: gql(`mutation($id: ID!) { pauseExecution(id: $id) { id } }`, 'pauseExecution') },
      { name: 'resumeExecution', permission: 'execute', run: gql(`mutation($id: ID!) { resumeExecution(id: $id) { id } }`, 'resumeExecution') },
      { name: 'restartExecution', permission: 'execute', run: gql(`mutation($id: ID!) { restartExecution(id: $id) { id } }`, 'restartExecution') },
      { name: 'replayExecution', permission: 'execute', run: gql(`mutation($id: ID!) { replayExecution(id: $id) { id } }`, 'replayExecution') },
      { name: 'REST start', permission: 'execute', run: rest('POST', (ns) => `/api/v1/executions/${ns}/f`, {}) },
      { name: 'REST kill', permission: 'execute', run: rest('DELETE', (_ns, id) => `/api/v1/executions/${id}/kill`) },
      { name: 'deployFlow', permission: 'deploy', run: gql(`mutation($s: String!) { deployFlow(source: $s) { id } }`, 'deployFlow') },
      { name: 'disableFlow', permission: 'deploy', run: gql(`mutation($ns: String!) { disableFlow(namespace: $ns, id: "dis") { id } }`, 'disableFlow') },
      { name: 'enableFlow', permission: 'deploy', run: gql(`mutation($ns: String!) { enableFlow(namespace: $ns, id: "dis") { id } }`, 'enableFlow') },
      { name: 'deleteFlow', permission: 'deploy', run: gql(`mutation($ns: String!) { deleteFlow(namespace: $ns, id: "del") { id } }`, 'deleteFlow') },
    ];
    const roles: Array<{ role: string; token: string; permissions: Permission[]; namespaces?: string[] }> = [
      { role: 'VIEWER', token: API_TOKENS.VIEWER, permissions: ['read'] },
      { role: 'OPERATOR', token: API_TOKENS.OPERATOR, permissions: ['read', 'execute'] },
      { role: 'EDITOR', token: API_TOKENS.EDITOR, permissions: ['read', 'execute', 'deploy'] },
      { role: 'ADMIN', token: API_TOKENS.ADMIN, permissions: ['read', 'execute', 'deploy'] },
      { role: 'OPERATOR:rbac.team', token: API_TOKENS.TEAM_OPERATOR, permissions: ['read', 'execute'], namespaces: ['rbac.team'] },
      { role: 'anonymous', token: 'not-a-valid-token-00000000000000', permissions: [] },
    ];
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const { role, token, permissions, namespaces } of roles) {
      const c = new GatewayClient(context().url, token);
      for (const op of operations) {
        for (const ns of ['rbac.team', 'rbac.other']) {
          const inReach = namespaces === undefined || namespaces.includes(ns);
          const allowed = permissions.includes(op.permission) && inReach;
          const { code, hidden } = await op.run(c, ns, fixtures[ns]!);
          // Refused: FORBIDDEN/UNAUTHENTICATED; out of a limited token's reach, ids read as not found.
          const refused = code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' || (!inReach && hidden === true);
          const namespaceFree = op.name === 'projections';
          outcomes.push(`${role} ${op.name} ${ns}: ${refused ? 'refused' : 'allowed'}`);
          expected.push(`${role} ${op.name} ${ns}: ${allowed || (namespaceFree && permissions.includes('read')) ? 'allowed' : 'refused'}`);
          if (role === 'anonymous') expect(code, `${role} ${op.name}`).toBe('UNAUTHENTICATED');
        }
      }
    }
    expect(outcomes).toEqual(expected);
    // graphql-ws authenticates in connection_init.
    const anonymous = new GatewayClient(context().url, 'not-a-valid-token-00000000000000').subscribe(`subscription { executionsChanged { id } }`, {});
    await eventually('the refused connection', async () => anonymous.errors.length > 0, 5_000);
    anonymous.dispose();
  });
}
