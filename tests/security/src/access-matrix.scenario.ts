import { expect, it } from 'vitest';
import { eventually, GatewayClient } from '@chronicle/testing';
import { ACCESS_CASES, outcomeOf, PUBLIC_ROUTES } from './access-rules.js';
import { declaredRestRoutes } from './security-fixtures.js';
import { expectedAllowed, NAMESPACES, PRINCIPALS, type Namespace } from './security-principals.js';
import type { SecuritySuite } from './security-suite.js';

/** Every operation of the API decided by role and namespace, and lists and feeds filtered to the caller's namespaces. */
export function accessMatrixScenario(suite: () => SecuritySuite): void {
  it('has a rule for every GraphQL field of Query, Mutation and Subscription, and no rule for a field that does not exist', async () => {
    const { admin, counted } = suite();
    const { __schema: s } = await admin.data(`{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }`);
    const fields = [
      ...s.queryType.fields.map((f: { name: string }) => `Query.${f.name}`),
      ...s.mutationType.fields.map((f: { name: string }) => `Mutation.${f.name}`),
      ...s.subscriptionType.fields.map((f: { name: string }) => `Subscription.${f.name}`),
    ].sort();
    const ruled = [...new Set(ACCESS_CASES.map((c) => c.key).filter((k) => /^(Query|Mutation|Subscription)\./.test(k)))].sort();
    expect(ruled).toEqual(fields);
    counted('schema coverage', fields.length);
  });

  it('has a rule for every REST route the controllers declare', () => {
    const { counted } = suite();
    const declared = declaredRestRoutes();
    const ruled = [...new Set([...ACCESS_CASES.map((c) => c.key).filter((k) => k.startsWith('/') || /^[A-Z]+ \//.test(k)), ...PUBLIC_ROUTES])].sort();
    expect(ruled).toEqual(declared);
    counted('route coverage', declared.length);
  });

  it('decides every operation by role and namespace: role × namespace × operation', async () => {
    const { chronicle, fx, counted } = suite();
    const mismatches: string[] = [];
    for (const rule of ACCESS_CASES) {
      const namespaces: readonly Namespace[] = rule.scope === 'namespace' ? NAMESPACES : ['teamA'];
      for (const principal of PRINCIPALS) {
        const c = new GatewayClient(chronicle.url, principal.token);
        for (const ns of namespaces) {
          const expected = expectedAllowed(principal, rule.permission, rule.scope, ns) ? 'allowed' : 'refused';
          const result = await rule.run(c, ns, fx);
          const actual = outcomeOf(result, rule.byId);
          const label = `${rule.key}${rule.variant ? ` (${rule.variant})` : ''} as ${principal.name}${rule.scope === 'namespace' ? ` on ${ns}` : ''}`;
          if (actual !== expected) mismatches.push(`${label}: expected ${expected}, got ${actual} (${result.code ?? 'no error'})`);
          if (!principal.role && result.code !== 'UNAUTHENTICATED') mismatches.push(`${label}: expected UNAUTHENTICATED, got ${result.code ?? 'an answer'}`);
          counted(rule.key.startsWith('Subscription.') ? 'subscriptions' : /^[A-Z]+ \//.test(rule.key) ? 'REST/SSE/files/export' : 'GraphQL');
        }
      }
    }
    expect(mismatches).toEqual([]);
    // Thousands of requests (every rule × 9 callers × 2 namespaces): 170 s measured on a machine at load 30.
  }, 480_000);

  it('shows a namespace-limited caller nothing of other namespaces in lists and live feeds', async () => {
    const { chronicle, client, start, until, counted } = suite();
    const teamB = await start('teamB', 'f');
    await until(teamB, ['SUCCESS']);
    const lists: Array<[string, string, (d: any) => Array<{ namespace: string }>]> = [
      ['flows', `{ flows { namespace } }`, (d) => d.flows],
      ['executions', `{ executions(first: 500) { edges { node { namespace } } } }`, (d) => d.executions.edges.map((e: any) => e.node)],
      ['triggers', `{ triggers { namespace } }`, (d) => d.triggers],
      ['stalledExecutions', `{ stalledExecutions(minutes: 0) { namespace } }`, (d) => d.stalledExecutions],
    ];
    for (const principal of PRINCIPALS.filter((p) => p.role)) {
      const c = new GatewayClient(chronicle.url, principal.token);
      for (const [name, query, items] of lists) {
        const namespaces = new Set(items(await c.data(query)).map((i) => i.namespace));
        if (principal.namespaces) expect([...namespaces].filter((n) => n !== 'teamA' && !n.startsWith('teamA.')), `${name} as ${principal.name}`).toEqual([]);
        else if (name !== 'stalledExecutions') expect(namespaces.has('teamB'), `${name} as ${principal.name} sees teamB`).toBe(true);
        counted('filtered lists');
      }
    }
    // The REST lists (Kestra's searches, locks), asked without a namespace, are filtered the same.
    const restLists: Array<[string, (body: any) => Array<{ namespace: string }>]> = [
      ['/api/v1/executions/search?size=500', (b) => b.results],
      ['/api/v1/flows/search?size=500', (b) => b.results],
      ['/api/v1/triggers/search?size=500', (b) => b.results.map((r: any) => r.triggerContext ?? r)],
      ['/api/v1/locks', (b) => b],
    ];
    for (const principal of PRINCIPALS.filter((p) => p.role)) {
      const c = new GatewayClient(chronicle.url, principal.token);
      for (const [path, items] of restLists) {
        const res = await c.rest('GET', path);
        expect(res.status, `${path} as ${principal.name}`).toBe(200);
        const namespaces = new Set(items(await res.json()).map((i) => i.namespace));
        if (principal.namespaces) expect([...namespaces].filter((n) => n !== 'teamA' && !n.startsWith('teamA.')), `${path} as ${principal.name}`).toEqual([]);
        else if (!path.includes('locks')) expect(namespaces.has('teamB'), `${path} as ${principal.name} sees teamB`).toBe(true);
        counted('filtered lists');
      }
    }
    // Live: every change, unfiltered by the caller, reaches a limited subscriber only for its namespaces.
    const limited = client('VIEWER:teamA').subscribe<{ executionsChanged: { namespace: string; id: string } }>(`subscription { executionsChanged { id namespace } }`, {});
    const everyone = client('VIEWER').subscribe<{ executionsChanged: { namespace: string; id: string } }>(`subscription { executionsChanged { id namespace } }`, {});
    try {
      await new Promise((r) => setTimeout(r, 300));
      const b = await start('teamB', 'f');
      await until(b, ['SUCCESS']);
      const a = await start('teamA', 'f');
      await eventually('teamA update for the limited subscriber', async () => limited.received.some((m) => m.executionsChanged.id === a));
      await eventually('teamB update for the unrestricted subscriber', async () => everyone.received.some((m) => m.executionsChanged.id === b));
      expect(limited.received.filter((m) => m.executionsChanged.namespace !== 'teamA')).toEqual([]);
      counted('filtered lists', 2);
    } finally {
      limited.dispose();
      everyone.dispose();
    }
  });

  it('lets a namespace-limited token\'s bulk by query act only in its namespaces, and treats other ids as unknown', async () => {
    const { admin, client, start, until, counted } = suite();
    const [a, b] = [await start('teamA', 'p'), await start('teamB', 'p')];
    await until(a, ['PAUSED']);
    await until(b, ['PAUSED']);
    const listed = async (id: string) => (await admin.data(`query($ns: String!) { executions(namespace: $ns, flowId: "p", first: 500) { edges { node { id } } } }`, { ns: id === a ? 'teamA' : 'teamB' })).executions.edges.some((e: any) => e.node.id === id);
    await eventually('both projected', async () => (await listed(a)) && (await listed(b)));
    const operatorA = client('OPERATOR:teamA');
    const labelsOf = async (id: string) => (await admin.data(`query($id: ID!) { execution(id: $id) { labels } }`, { id })).execution.labels as Record<string, string>;

    // No namespace in the query: it selects in teamA only, though teamB matches the filters too.
    const marked = await operatorA.rest('POST', '/api/v1/executions/labels/by-query?flowId=p&state=PAUSED', [{ key: 'bulk', value: 'teamA-only' }]);
    expect(marked.status).toBe(200);
    expect(((await marked.json()) as any).count).toBeGreaterThanOrEqual(1);
    await eventually('teamA labelled', async () => (await labelsOf(a)).bulk === 'teamA-only');
    expect((await labelsOf(b)).bulk).toBeUndefined();
    // Naming another namespace is refused; an id of another namespace does not exist for the caller, and nothing is done.
    expect((await operatorA.rest('DELETE', '/api/v1/executions/kill/by-query?namespace=teamB')).status).toBe(403);
    const byIds = await operatorA.rest('DELETE', '/api/v1/executions/kill/by-ids', [a, b]);
    expect(byIds.status).toBe(400);
    expect(((await byIds.json()) as any).invalids).toEqual([{ message: 'execution not found', invalidValue: b, propertyPath: 'execution', code: 'NOT_FOUND' }]);
    expect(await admin.data(`query($id: ID!) { execution(id: $id) { state } }`, { id: a })).toEqual({ execution: { state: 'PAUSED' } });
    for (const id of [a, b]) await admin.data(`mutation($id: ID!) { killExecution(id: $id) { id } }`, { id });
    counted('bulk by namespace', 4);
  });
}
