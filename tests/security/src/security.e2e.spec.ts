import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOW_EVENT_SCHEMA_VERSION, flowStreamId, parseFlow } from '@chronicle/domain';
import { NO_STREAM } from '@chronicle/event-store';
import { createLogger, loadConfig, newId } from '@chronicle/runtime';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, eventually, GatewayClient, type TestDatabase } from '@chronicle/testing';
import { ACCESS_CASES, outcomeOf, PUBLIC_ROUTES, type Fixtures } from './access-rules.js';
import { declaredRestRoutes, fixtureFlows, HMAC_SECRET, logFlow, SECRET_DEFAULT, WEBHOOK_KEY } from './security-fixtures.js';
import { expectedAllowed, NAMESPACES, PRINCIPALS, TOKENS_SPEC, tokenOf, type Namespace } from './security-principals.js';

const TOPIC_PREFIX = 'secsuite';
const SECRET = 'hunter2-S3CRET-value-42';
const TERMINAL = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED'];

/** Cases checked, by part, printed at the end for the issue's closing note. */
const counts = new Map<string, number>();
const counted = (part: string, n = 1) => counts.set(part, (counts.get(part) ?? 0) + n);

/**
 * The security suite (issue 18): one standalone Chronicle in this process (real Postgres,
 * in-process bus), every role unrestricted and limited to `teamA`, against every GraphQL
 * field, REST route, subscription, SSE stream, file, export/import and trigger kind, plus the
 * abuse cases: Kafka triggers on Chronicle's own topics, Subflows across namespaces, SECRET
 * inputs in every read path, webhook keys for readers.
 */
describe('security: namespace isolation and secrets', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let admin: GatewayClient;
  let fx: Fixtures;
  const client = (name: string) => new GatewayClient(chronicle.url, tokenOf(name));

  const stateOf = async (id: string) => (await admin.data(`query($id: ID!) { execution(id: $id) { state } }`, { id })).execution?.state as string | undefined;
  const until = (id: string, states: string[]) => eventually(`${id} in ${states}`, async () => states.includes((await stateOf(id)) ?? ''), 30_000);
  const start = async (ns: string, flowId: string, inputs: Record<string, unknown> = {}) =>
    (await admin.data(`mutation($ns: String!, $f: String!, $i: JSON) { createExecution(namespace: $ns, flowId: $f, inputs: $i) { id } }`, { ns, f: flowId, i: inputs })).createExecution.id as string;
  const deploy = (c: GatewayClient, source: string) => c.graphql(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: source });

  beforeAll(async () => {
    db = await createTestDatabase('security_suite');
    const config = loadConfig({
      PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: TOKENS_SPEC, CHRONICLE_LOG_LEVEL: 'error',
      CHRONICLE_TOPIC_PREFIX: TOPIC_PREFIX, CHRONICLE_NAMESPACE_ALLOW: 'teamA->shared',
    });
    chronicle = await startStandalone(config, createLogger('security', 'error'));
    admin = client('ADMIN');
    const execution = {} as Record<Namespace, string>;
    const paused = {} as Record<Namespace, string>;
    const victim = {} as Record<Namespace, string>;
    const file = {} as Record<Namespace, string>;
    for (const ns of NAMESPACES) {
      for (const source of fixtureFlows(ns)) await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: source });
      const form = new FormData();
      form.append('files', new Blob([`a file of ${ns}`], { type: 'text/plain' }), 'doc');
      const res = await fetch(`${chronicle.url}/api/v1/executions/${ns}/f`, { method: 'POST', headers: { authorization: `Bearer ${tokenOf('ADMIN')}` }, body: form });
      const started = (await res.json()) as { id: string; inputs: { doc: string } };
      execution[ns] = started.id;
      file[ns] = /files\/([0-9a-f-]{36})$/.exec(started.inputs.doc)![1]!;
      paused[ns] = await start(ns, 'p');
      victim[ns] = await start(ns, 'p');
    }
    for (const ns of NAMESPACES) {
      await until(execution[ns], ['SUCCESS']);
      await until(paused[ns], ['PAUSED']);
      await until(victim[ns], ['PAUSED']);
    }
    fx = { url: chronicle.url, admin, execution, paused, victim, file };
  });

  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const parts = [...counts].map(([part, n]) => `${part}: ${n}`).join(', ');
    console.log(`security suite: ${total} cases checked (${parts})`);
  });

  it('has a rule for every GraphQL field of Query, Mutation and Subscription, and no rule for a field that does not exist', async () => {
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
    const declared = declaredRestRoutes();
    const ruled = [...new Set([...ACCESS_CASES.map((c) => c.key).filter((k) => k.startsWith('/') || /^[A-Z]+ \//.test(k)), ...PUBLIC_ROUTES])].sort();
    expect(ruled).toEqual(declared);
    counted('route coverage', declared.length);
  });

  it('decides every operation by role and namespace: role × namespace × operation', async () => {
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
  });

  it('shows a namespace-limited caller nothing of other namespaces in lists and live feeds', async () => {
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

  it('refuses a Kafka trigger on Chronicle\'s own topics or consumer groups at deploy, with the field and what to do', async () => {
    const kafkaFlow = (topic: string, groupId?: string) =>
      `id: evil\nnamespace: teamA\ntasks:\n  - id: a\n    type: Log\n    message: x\ntriggers:\n  - id: k\n    type: io.kestra.plugin.kafka.Trigger\n    topic: ${topic}\n${groupId ? `    groupId: ${groupId}\n` : ''}`;
    const refused: Array<[string, string | undefined, RegExp]> = [
      ['chronicle.logs', undefined, /triggers\[0\]\.topic: topic "chronicle\.logs" is one of Chronicle's own topics/],
      ['chronicle.tasks', 'chronicle-workers', /topic/],
      ['chronicle.triggers.dlq', undefined, /topic/],
      [`${TOPIC_PREFIX}.logs`, undefined, new RegExp(`triggers\\[0\\]\\.topic: topic "${TOPIC_PREFIX}\\.logs" is one of Chronicle's own topics`)],
      [`${TOPIC_PREFIX}.commands`, undefined, /topic/],
      ['orders', 'chronicle-workers', /triggers\[0\]\.groupId: consumer group "chronicle-workers" is reserved/],
      ['orders', `${TOPIC_PREFIX}.executor`, /groupId/],
      ['orders', 'chronicle-scheduler-triggers', /groupId/],
    ];
    for (const [topic, groupId, message] of refused) {
      for (const who of ['ADMIN', 'EDITOR:teamA']) {
        const body = await deploy(client(who), kafkaFlow(topic, groupId));
        expect(body.errors?.[0]?.extensions?.code, `${topic} ${groupId ?? ''} as ${who}`).toBe('BAD_USER_INPUT');
        expect(body.errors?.[0]?.message).toMatch(message);
        counted('abuse: Kafka internal topics');
      }
    }
    expect((await deploy(admin, kafkaFlow('teamA-orders', 'teamA-group'))).errors).toBeUndefined();
  });

  it('never starts a Kafka trigger that reads Chronicle\'s own topics, even one stored before the check (an old flow, an import)', async () => {
    // Appended as an older version (or an import) would have: the deploy's check never saw it.
    const evil = `id: listens-to-logs\nnamespace: teamA\ntasks:\n  - id: a\n    type: Log\n    message: stolen\ntriggers:\n  - id: k\n    type: io.kestra.plugin.kafka.Trigger\n    topic: ${TOPIC_PREFIX}.logs\n    keyDeserializer: STRING\n    valueDeserializer: STRING\n`;
    const now = new Date().toISOString();
    await chronicle.platform.store.append(flowStreamId('teamA', 'listens-to-logs'), [{
      id: newId(), type: 'FlowRevisionDeployed',
      data: { namespace: 'teamA', flowId: 'listens-to-logs', revision: 1, source: evil, definition: parseFlow(evil, 1) as never, at: now },
      metadata: { schemaVersion: FLOW_EVENT_SCHEMA_VERSION, occurredAt: now },
    }], NO_STREAM);
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: `id: probe\nnamespace: teamA\ntasks:\n  - id: a\n    type: Log\n    message: probe\ntriggers:\n  - id: k\n    type: io.kestra.plugin.kafka.Trigger\n    topic: sec-probe\n    keyDeserializer: STRING\n    valueDeserializer: STRING\n`,
    });
    const probes = async () => (await admin.data(`{ executions(namespace: "teamA", flowId: "probe") { totalCount } }`)).executions.totalCount as number;
    const probe = async (n: number) => {
      await chronicle.platform.bus.ensureTopics(['sec-probe']);
      await chronicle.platform.bus.publish('sec-probe', [{ key: `p${n}`, value: `probe ${n}` }]);
      await eventually(`probe ${n}`, async () => (await probes()) >= n, 30_000);
    };
    // The scheduler has both flows once the probe fires; then log lines flow on the logs topic.
    await probe(1);
    const logged = await start('teamA', 'f');
    await until(logged, ['SUCCESS']);
    await probe(2);
    const stolen = (await admin.data(`{ executions(namespace: "teamA", flowId: "listens-to-logs") { totalCount } }`)).executions.totalCount;
    expect(stolen).toBe(0);
    counted('abuse: Kafka internal topics');
  });

  it('lets a Subflow start flows only in its own namespace, its children, or an allowed one', async () => {
    for (const [ns, id] of [['teamA.sub', 'child'], ['shared', 'child'], ['teamB', 'child']]) await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: logFlow(ns!, id!) });
    const caller = (ns: string, id: string, target: string) =>
      `id: ${id}\nnamespace: ${ns}\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: ${target}\n    flowId: child\n    wait: true\n    transmitFailed: true\n`;
    const cases: Array<[string, string, string]> = [
      ['teamA', 'teamA.sub', 'SUCCESS'],
      ['teamA', 'shared', 'SUCCESS'],
      ['teamA', 'teamB', 'FAILED'],
      ['teamB', 'shared', 'FAILED'],
      ['teamA.sub', 'teamA', 'FAILED'],
    ];
    for (const [from, to, expected] of cases) {
      const id = `call-${to.replace(/\./g, '-')}`;
      await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: caller(from, id, to) });
      const parent = await start(from, id);
      await until(parent, TERMINAL);
      const { execution } = await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { attempts { error } } } }`, { id: parent });
      expect(execution.state, `${from} -> ${to}`).toBe(expected);
      const children = (await admin.data(`query($p: ID!) { executions(parentId: $p) { totalCount } }`, { p: parent })).executions.totalCount;
      if (expected === 'FAILED') {
        expect(JSON.stringify(execution.taskRuns)).toMatch(new RegExp(`may not start a flow in namespace ${to.replace('.', '\\.')}.*CHRONICLE_NAMESPACE_ALLOW`));
        expect(children, `no child in ${to}`).toBe(0);
      } else {
        expect(children).toBe(1);
      }
      counted('abuse: cross-namespace Subflow');
    }
  });

  it('lets another namespace\'s Flow trigger react to an execution, without its outputs', async () => {
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: `id: producer\nnamespace: teamA\ntasks:\n  - id: t\n    type: OutputValues\n    values:\n      v: producer-data-123\noutputs:\n  - id: result\n    type: STRING\n    value: "{{ outputs.t.values.v }}"\n`,
    });
    const listener = (ns: string) => `id: listener\nnamespace: ${ns}\ntasks:\n  - id: a\n    type: Log\n    message: "{{ trigger.state }}"\ntriggers:\n  - id: on-producer\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlowCondition\n        namespace: teamA\n        flowId: producer\n`;
    for (const ns of ['teamA', 'teamB']) await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: listener(ns) });
    const upstream = await start('teamA', 'producer');
    await until(upstream, ['SUCCESS']);
    const triggered = async (ns: string) => eventually(`the ${ns} listener`, async () =>
      (await admin.data(`query($ns: String!) { executions(namespace: $ns, flowId: "listener") { edges { node { trigger } } } }`, { ns })).executions.edges[0]?.node.trigger);
    expect(await triggered('teamA')).toMatchObject({ executionId: upstream, state: 'SUCCESS', outputs: { result: 'producer-data-123' } });
    const other = await triggered('teamB');
    expect(other).toMatchObject({ executionId: upstream, namespace: 'teamA', state: 'SUCCESS', outputs: {} });
    expect(JSON.stringify(other)).not.toContain('producer-data-123');
    counted('trigger kinds: Flow across namespaces', 2);
  });

  it('masks SECRET inputs in every read path, for every role, live and stored, and in log lines', async () => {
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: `id: secret\nnamespace: teamA\ninputs:\n  - id: password\n    type: SECRET\n  - id: user\n    type: STRING\ntasks:\n  - id: wait\n    type: Pause\n    pauseDuration: PT0.3S\n  - id: say\n    type: Log\n    message: "logging in {{ inputs.user }} with {{ inputs.password }}"\n`,
    });
    const viewer = client('VIEWER:teamA');
    const subs = [
      viewer.subscribe(`subscription { executionsChanged(namespace: "teamA", flowId: "secret") { id inputs } }`, {}),
    ];
    await new Promise((r) => setTimeout(r, 300));
    const started = await client('OPERATOR:teamA').data(`mutation($i: JSON) { createExecution(namespace: "teamA", flowId: "secret", inputs: $i) { id inputs } }`, { i: { password: SECRET, user: 'ada' } });
    const id = started.createExecution.id as string;
    expect(started.createExecution.inputs).toEqual({ password: '******', user: 'ada' });
    subs.push(
      viewer.subscribe(`subscription($id: ID!) { executionUpdated(id: $id) { inputs } }`, { id }),
      viewer.subscribe(`subscription($id: ID!) { executionEvents(id: $id) { type data } }`, { id }),
      viewer.subscribe(`subscription($id: ID!) { executionLogs(id: $id) { message } }`, { id }),
    );
    await until(id, ['SUCCESS']);
    const restStarted = await (await fetch(`${chronicle.url}/api/v1/executions/teamA/secret`, {
      method: 'POST', headers: { authorization: `Bearer ${tokenOf('OPERATOR')}`, 'content-type': 'application/json' }, body: JSON.stringify({ password: SECRET, user: 'bob' }),
    })).text();
    const answers: Array<[string, string]> = [['REST start', restStarted], ['createExecution', JSON.stringify(started)]];
    for (const principal of PRINCIPALS.filter((p) => p.role)) {
      const c = new GatewayClient(chronicle.url, principal.token);
      const read = async (what: string, query: string) => answers.push([`${what} as ${principal.name}`, JSON.stringify(await c.data(query, { id }))]);
      await read('execution', `query($id: ID!) { execution(id: $id) { inputs logs { edges { node { message } } } } }`);
      await read('executions', `query { executions(namespace: "teamA", flowId: "secret") { edges { node { inputs } } } }`);
      await read('executionAt', `query($id: ID!) { executionAt(id: $id, revision: 0) { inputs } }`);
      await read('executionHistory', `query($id: ID!) { executionHistory(id: $id) { type data } }`);
      await read('logs', `query($id: ID!) { logs(executionId: $id) { message } }`);
      answers.push([`REST get as ${principal.name}`, await c.rest('GET', `/api/v1/executions/${id}`).then((r) => r.text())]);
      answers.push([`SSE as ${principal.name}`, await c.rest('GET', `/api/v1/executions/${id}/events`).then((r) => r.text())]);
    }
    await eventually('every live feed to have its payloads', async () => subs.every((s) => s.received.length > 0) && subs[3]!.received.length >= 1);
    subs.forEach((s, i) => answers.push([`subscription ${i}`, JSON.stringify(s.received)]));
    subs.forEach((s) => s.dispose());
    for (const [what, text] of answers) {
      expect(text, what).not.toContain(SECRET);
      counted('abuse: SECRET masking');
    }
    // What the masking leaves: the mask where the secret was, the other inputs as given.
    const { execution } = await viewer.data(`query($id: ID!) { execution(id: $id) { inputs logs { edges { node { message } } } } }`, { id });
    expect(execution.inputs).toEqual({ password: '******', user: 'ada' });
    expect(execution.logs.edges.map((e: any) => e.node.message)).toContain('logging in ada with ******');
    // The executor still had the value: the masking is at the read boundary only.
    const [created] = await chronicle.platform.store.readStream(`execution-${id}`, { maxCount: 1 });
    expect((created!.data as { inputs: Record<string, unknown> }).inputs.password).toBe(SECRET);
    // A replay with the inputs as a reader saw them (the mask) keeps the secret; a new value replaces it.
    const replayed = await client('OPERATOR:teamA').data(`mutation($id: ID!, $i: JSON) { replayExecution(id: $id, inputs: $i) { id } }`, { id, i: execution.inputs });
    const changed = await client('OPERATOR:teamA').data(`mutation($id: ID!, $i: JSON) { replayExecution(id: $id, inputs: $i) { id } }`, { id, i: { password: 'another-one', user: 'ada' } });
    const storedInputs = async (executionId: string) =>
      ((await chronicle.platform.store.readStream(`execution-${executionId}`, { maxCount: 1 }))[0]!.data as { inputs: Record<string, unknown> }).inputs;
    expect(await storedInputs(replayed.replayExecution.id)).toEqual({ password: SECRET, user: 'ada' });
    expect(await storedInputs(changed.replayExecution.id)).toEqual({ password: 'another-one', user: 'ada' });
    counted('abuse: SECRET masking', 2);
  });

  it('shows webhook keys, HMAC secrets and SECRET defaults only to those who may deploy the flow', async () => {
    const hidden = [WEBHOOK_KEY('teamA'), HMAC_SECRET('teamA'), SECRET_DEFAULT('teamA')];
    for (const principal of PRINCIPALS.filter((p) => p.role)) {
      const c = new GatewayClient(chronicle.url, principal.token);
      const answers = [
        JSON.stringify(await c.data(`{ flow(namespace: "teamA", id: "t") { source triggers inputs } }`)),
        JSON.stringify(await c.data(`{ flows(namespace: "teamA") { source triggers inputs } }`)),
        JSON.stringify(await c.data(`{ flowRevisions(namespace: "teamA", id: "t") { source triggers inputs } }`)),
        JSON.stringify(await c.data(`{ triggers(namespace: "teamA") { id kind type topic } }`)),
      ];
      const mayDeploy = principal.role === 'EDITOR' || principal.role === 'ADMIN';
      for (const value of hidden) {
        const seen = answers.slice(0, 3).every((a) => a.includes(value));
        expect(seen, `${value} as ${principal.name}`).toBe(mayDeploy);
        expect(answers[3], `triggers as ${principal.name}`).not.toContain(value);
        counted('abuse: webhook keys and secrets', 2);
      }
      if (!mayDeploy) {
        const { flow } = await c.data(`{ flow(namespace: "teamA", id: "t") { source triggers } }`);
        // The masked source is still YAML with the same shape.
        expect(parseFlow(flow.source.replace('namespace: teamA', 'namespace: teamA'), 1).triggers).toHaveLength(5);
        expect(flow.triggers.find((t: any) => t.id === 'hook').key).toBe('******');
      }
    }
  });

  it('authorises a webhook by its key alone: any caller with the key starts the flow, a wrong key or namespace finds nothing', async () => {
    for (const principal of PRINCIPALS) {
      for (const ns of NAMESPACES) {
        const ok = await fetch(`${chronicle.url}/api/v1/executions/webhook/${ns}/t/${WEBHOOK_KEY(ns)}`, { method: 'POST', headers: { authorization: `Bearer ${principal.token}`, 'content-type': 'application/json' }, body: '{}' });
        expect(ok.status, `webhook ${ns} as ${principal.name}`).toBeLessThan(300);
        await ok.text();
        const other = NAMESPACES.find((n) => n !== ns)!;
        const wrong = await fetch(`${chronicle.url}/api/v1/executions/webhook/${ns}/t/${WEBHOOK_KEY(other)}`, { method: 'POST', headers: { authorization: `Bearer ${principal.token}` } });
        expect(wrong.status, `another namespace's key on ${ns} as ${principal.name}`).toBe(404);
        await wrong.text();
        counted('trigger kinds: webhook', 2);
      }
    }
  });
});
