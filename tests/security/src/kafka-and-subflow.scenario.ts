import { expect, it } from 'vitest';
import { FLOW_EVENT_SCHEMA_VERSION, flowStreamId, parseFlow, CORE_TASK_CATALOG } from '@chronicle/domain';
import { NO_STREAM } from '@chronicle/event-store';
import { newId } from '@chronicle/runtime';
import { eventually } from '@chronicle/testing';
import { logFlow } from './security-fixtures.js';
import { TERMINAL, TOPIC_PREFIX, type SecuritySuite } from './security-suite.js';

/** Flows reaching beyond their namespace: Kafka triggers on Chronicle's own topics, Subflows and Flow triggers across namespaces. */
export function crossNamespaceScenario(suite: () => SecuritySuite): void {
  it('refuses a Kafka trigger on Chronicle\'s own topics or consumer groups at deploy, with the field and what to do', async () => {
    const { admin, client, deploy, counted } = suite();
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
      // Another flow's default group (teamB's fixture flow t, trigger kafka): it would take half of its messages.
      ['teamA.orders', 'chronicle-trigger-teamB/t/kafka', /triggers\[0\]\.groupId: consumer group "chronicle-trigger-teamB\/t\/kafka" is reserved/],
    ];
    for (const [topic, groupId, message] of refused) {
      for (const who of ['ADMIN', 'EDITOR:teamA']) {
        const body = await deploy(client(who), kafkaFlow(topic, groupId));
        expect(body.errors?.[0]?.extensions?.code, `${topic} ${groupId ?? ''} as ${who}`).toBe('BAD_USER_INPUT');
        expect(body.errors?.[0]?.message).toMatch(message);
        counted('abuse: Kafka internal topics');
      }
    }
    expect((await deploy(admin, kafkaFlow('teamA.orders', 'teamA.group'))).errors).toBeUndefined();
  });

  it('keeps a flow\'s Kafka trigger to the topics and consumer groups its namespace owns (another namespace\'s, an unowned one, a foreign group refused at deploy)', async () => {
    const { admin, client, deploy, counted } = suite();
    const kafkaFlow = (ns: string, topic: string, groupId?: string) =>
      `id: kafka-owned\nnamespace: ${ns}\ntasks:\n  - id: a\n    type: Log\n    message: x\ntriggers:\n  - id: k\n    type: io.kestra.plugin.kafka.Trigger\n    topic: ${topic}\n${groupId ? `    groupId: ${groupId}\n` : ''}`;
    const refused: Array<[string, string, string | undefined, RegExp]> = [
      ['teamA', 'teamB.orders', undefined, /triggers\[0\]\.topic: topic "teamB\.orders" does not belong to namespace teamA: its Kafka triggers read names starting with "teamA\." or "sec-shared\.".*CHRONICLE_KAFKA_NAMESPACE_PREFIXES/],
      // Granted to teamB by the operator (teamB=billing.).
      ['teamA', 'billing.invoices', undefined, /triggers\[0\]\.topic: topic "billing\.invoices" does not belong to namespace teamA/],
      // Nobody's: a topic of an application outside Chronicle.
      ['teamA', 'orders', undefined, /triggers\[0\]\.topic: topic "orders" does not belong/],
      // A sibling whose name starts the same is another namespace.
      ['teamA', 'teamAB.orders', undefined, /topic "teamAB\.orders" does not belong/],
      // A child namespace does not read its parent's topics (as it does not read its KV).
      ['teamA.sub', 'teamA.orders', undefined, /topic "teamA\.orders" does not belong to namespace teamA\.sub/],
      // Joining another namespace's (or an outside application's) consumer group would take half its messages.
      ['teamA', 'teamA.orders', 'teamB.orders-consumers', /triggers\[0\]\.groupId: consumer group "teamB\.orders-consumers" does not belong to namespace teamA.*leave groupId out/],
      ['teamA', 'sec-shared.orders', 'billing.consumers', /groupId: consumer group "billing\.consumers" does not belong/],
      ['teamA', 'teamA.orders', 'payments-service', /groupId: consumer group "payments-service" does not belong/],
    ];
    for (const [ns, topic, groupId, message] of refused) {
      for (const who of ['ADMIN', 'EDITOR:teamA']) {
        const body = await deploy(client(who), kafkaFlow(ns, topic, groupId));
        expect(body.errors?.[0]?.extensions?.code, `${ns} ${topic} ${groupId ?? ''} as ${who}`).toBe('BAD_USER_INPUT');
        expect(body.errors?.[0]?.message, `${ns} ${topic} ${groupId ?? ''} as ${who}`).toMatch(message);
        counted('abuse: Kafka topics and groups of other namespaces');
      }
    }
    // The REST validation says the same, without deploying.
    const validated = await client('EDITOR:teamA').rest('POST', '/api/v1/flows/validate', kafkaFlow('teamA', 'teamB.orders'), { 'content-type': 'application/x-yaml' });
    expect(JSON.stringify(await validated.json())).toMatch(/topic \\"teamB\.orders\\" does not belong to namespace teamA/);
    counted('abuse: Kafka topics and groups of other namespaces');
    // Validating another namespace's flow (any reader may) names only the prefixes the caller's own flows may use:
    // teamB's grant (billing.) is told to whoever may reach teamB, never to a caller limited to teamA.
    const constraintsOf = async (who: string, source: string) => JSON.stringify(await (await client(who).rest('POST', '/api/v1/flows/validate', source, { 'content-type': 'application/x-yaml' })).json());
    for (const source of [kafkaFlow('teamB', 'orders'), kafkaFlow('teamB', 'teamB.orders', 'outside-group')]) {
      for (const who of ['VIEWER:teamA', 'EDITOR:teamA', 'ADMIN:teamA']) {
        const answer = await constraintsOf(who, source);
        expect(answer, who).toMatch(/does not belong to namespace teamB/);
        expect(answer, who).toContain('sec-shared.');
        expect(answer, who).not.toContain('billing.');
        counted('abuse: Kafka topics and groups of other namespaces');
      }
      expect(await constraintsOf('VIEWER', source)).toContain('billing.');
    }
    // What a namespace owns: its prefix (children's topics included), granted prefixes, groups alike.
    const allowed: Array<[string, string, string, string | undefined]> = [
      ['EDITOR:teamA', 'teamA', 'teamA.orders', undefined],
      ['EDITOR:teamA', 'teamA', 'teamA.sub.events', 'teamA.events-readers'],
      ['EDITOR:teamA', 'teamA', 'sec-shared.orders', 'sec-shared.teamA-readers'],
      ['ADMIN', 'teamB', 'billing.invoices', 'billing.chronicle'],
    ];
    for (const [who, ns, topic, groupId] of allowed) {
      expect((await deploy(client(who), kafkaFlow(ns, topic, groupId))).errors, `${ns} ${topic} ${groupId ?? ''}`).toBeUndefined();
      counted('abuse: Kafka topics and groups of other namespaces');
    }
    for (const ns of ['teamA', 'teamB']) await admin.data(`mutation($ns: String!) { deleteFlow(namespace: $ns, id: "kafka-owned") { id } }`, { ns });
  });

  it('never starts a Kafka trigger that reads Chronicle\'s own topics or another namespace\'s, even one stored before the check (an old flow, an import)', async () => {
    const { chronicle, admin, start, until, counted } = suite();
    // Appended as an older version (or an import) would have: the deploy's checks never saw them.
    const evil: Array<[string, string]> = [['listens-to-logs', `${TOPIC_PREFIX}.logs`], ['reads-team-b', 'teamB.orders']];
    for (const [flowId, topic] of evil) {
      const source = `id: ${flowId}\nnamespace: teamA\ntasks:\n  - id: a\n    type: Log\n    message: stolen\ntriggers:\n  - id: k\n    type: io.kestra.plugin.kafka.Trigger\n    topic: ${topic}\n    keyDeserializer: STRING\n    valueDeserializer: STRING\n`;
      const now = new Date().toISOString();
      await chronicle.platform.store.append(flowStreamId('teamA', flowId), [{
        id: newId(), type: 'FlowRevisionDeployed',
        data: { namespace: 'teamA', flowId, revision: 1, source, definition: parseFlow(source, CORE_TASK_CATALOG, 1) as never, at: now },
        metadata: { schemaVersion: FLOW_EVENT_SCHEMA_VERSION, occurredAt: now },
      }], NO_STREAM);
    }
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: `id: probe\nnamespace: teamA\ntasks:\n  - id: a\n    type: Log\n    message: probe\ntriggers:\n  - id: k\n    type: io.kestra.plugin.kafka.Trigger\n    topic: teamA.sec-probe\n    keyDeserializer: STRING\n    valueDeserializer: STRING\n`,
    });
    const count = async (ns: string, flowId: string) => (await admin.data(`query($ns: String!, $f: String!) { executions(namespace: $ns, flowId: $f) { totalCount } }`, { ns, f: flowId })).executions.totalCount as number;
    const probe = async (n: number) => {
      await chronicle.platform.bus.ensureTopics(['teamA.sec-probe']);
      await chronicle.platform.bus.publish('teamA.sec-probe', [{ key: `p${n}`, value: `probe ${n}` }]);
      await eventually(`probe ${n}`, async () => (await count('teamA', 'probe')) >= n, 30_000);
    };
    // The scheduler has every flow once the probe fires; then log lines flow on the logs topic.
    await probe(1);
    const logged = await start('teamA', 'f');
    await until(logged, ['SUCCESS']);
    // teamB's own trigger (fixture flow t) reads its topic; the stored teamA flow must not.
    const teamB0 = await count('teamB', 't');
    await chronicle.platform.bus.ensureTopics(['teamB.orders']);
    // Its deserializers are JSON (the default), the key included.
    await chronicle.platform.bus.publish('teamB.orders', [{ key: '"b1"', value: { order: 1 } }]);
    await eventually('teamB\'s own trigger to read its topic', async () => (await count('teamB', 't')) > teamB0, 30_000);
    await probe(2);
    for (const [flowId] of evil) expect(await count('teamA', flowId), flowId).toBe(0);
    counted('abuse: Kafka internal topics');
    counted('abuse: Kafka topics and groups of other namespaces');
  });

  it('gives every flow\'s Kafka trigger every message: another namespace naming its trigger the same takes none away', async () => {
    const { chronicle, admin, client, deploy, counted } = suite();
    // A public topic: CHRONICLE_KAFKA_NAMESPACE_PREFIXES grants `sec-shared.` to every namespace (`*`).
    const topic = 'sec-shared.orders';
    const listener = (ns: string) => `id: orders\nnamespace: ${ns}\ntasks:\n  - id: a\n    type: Log\n    message: "{{ trigger.value }}"\ntriggers:\n  - id: kafka\n    type: io.kestra.plugin.kafka.Trigger\n    topic: ${topic}\n    keyDeserializer: STRING\n    valueDeserializer: STRING\n`;
    expect((await deploy(admin, listener('teamB'))).errors).toBeUndefined();
    expect((await deploy(client('EDITOR:teamA'), listener('teamA'))).errors).toBeUndefined();
    const count = async (ns: string) => (await admin.data(`query($ns: String!) { executions(namespace: $ns, flowId: "orders") { totalCount } }`, { ns })).executions.totalCount as number;
    await chronicle.platform.bus.ensureTopics([topic]);
    // Both consumers must be listening before the messages count: a first message each proves it.
    await eventually('both triggers to listen', async () => {
      await chronicle.platform.bus.publish(topic, [{ key: `warm-${Date.now()}`, value: 'warm-up' }]);
      return (await count('teamA')) > 0 && (await count('teamB')) > 0;
    }, 60_000, 1000);
    const [a0, b0] = [await count('teamA'), await count('teamB')];
    await chronicle.platform.bus.publish(topic, Array.from({ length: 8 }, (_, i) => ({ key: `order-${i}`, value: `order ${i}` })));
    await eventually('every order in teamB', async () => (await count('teamB')) >= b0 + 8, 60_000);
    await eventually('every order in teamA', async () => (await count('teamA')) >= a0 + 8, 60_000);
    counted('trigger kinds: Kafka across namespaces', 2);
  }, 180_000);

  it('lets a Resume task resume only executions of its own namespace and children, never another namespace\'s pause', async () => {
    const { admin, client, deploy, start, until, counted } = suite();
    expect((await deploy(admin, `id: gate\nnamespace: teamB\ntasks:\n  - id: approval\n    type: Pause\n  - id: after\n    type: Log\n    message: approved\n`)).errors).toBeUndefined();
    expect((await deploy(client('EDITOR:teamA'), `id: approver\nnamespace: teamA\ninputs:\n  - id: target\n    type: STRING\ntasks:\n  - id: resume\n    type: io.kestra.plugin.core.execution.Resume\n    executionId: "{{ inputs.target }}"\n`)).errors).toBeUndefined();
    const gate = await start('teamB', 'gate');
    await until(gate, ['PAUSED']);
    const approver = await start('teamA', 'approver', { target: gate });
    await until(approver, ['FAILED', 'SUCCESS']);
    const { execution } = await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { error attempts { error } } } }`, { id: approver });
    expect(execution.state).toBe('FAILED');
    // Answered as for an id of nothing: the flow learns neither that the execution exists nor its namespace.
    expect(JSON.stringify(execution.taskRuns)).toContain(`No execution found for execution id ${gate}`);
    expect(JSON.stringify(execution.taskRuns)).not.toContain('teamB');
    expect((await admin.data(`query($id: ID!) { execution(id: $id) { state } }`, { id: gate })).execution.state).toBe('PAUSED');
    await admin.data(`mutation($id: ID!) { killExecution(id: $id) { id } }`, { id: gate });
    counted('abuse: cross-namespace Resume');
  });

  it('tells a WaitForExecution or Resume aimed at another namespace\'s execution what it would of an id of nothing', async () => {
    const { admin, client, deploy, start, until, counted } = suite();
    expect((await deploy(client('EDITOR:teamA'), `id: waiter\nnamespace: teamA\ninputs:\n  - id: target\n    type: STRING\ntasks:\n  - id: wait\n    type: WaitForExecution\n    executionId: "{{ inputs.target }}"\n`)).errors).toBeUndefined();
    expect((await deploy(client('EDITOR:teamA'), `id: resumer\nnamespace: teamA\ninputs:\n  - id: target\n    type: STRING\ntasks:\n  - id: resume\n    type: io.kestra.plugin.core.execution.Resume\n    executionId: "{{ inputs.target }}"\n`)).errors).toBeUndefined();
    const target = await start('teamB', 'p');
    await until(target, ['PAUSED']);
    const nothing = '0000aaaa-0000-4000-8000-00000000beef';
    for (const flowId of ['waiter', 'resumer']) {
      const answers = [];
      for (const id of [target, nothing]) {
        const run = await start('teamA', flowId, { target: id });
        await until(run, TERMINAL);
        const { execution } = await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { state outputs attempts { error } } } }`, { id: run });
        answers.push(JSON.stringify(execution).replaceAll(id, 'X'));
      }
      expect(answers[0], flowId).toBe(answers[1]);
      expect(answers[0], flowId).toContain('FAILED');
      expect(answers[0], flowId).not.toMatch(/teamB|PAUSED/);
      counted('abuse: other namespaces\' executions told apart');
    }
    expect((await admin.data(`query($id: ID!) { execution(id: $id) { state } }`, { id: target })).execution.state).toBe('PAUSED');
    await admin.data(`mutation($id: ID!) { killExecution(id: $id) { id } }`, { id: target });
  });

  it('lets a flow be wrapped only by flows of namespaces it may reach, declared or added at start', async () => {
    const { admin, client, deploy, counted } = suite();
    expect((await deploy(admin, `id: outer\nnamespace: teamB\ntasks:\n  - id: run\n    type: io.chronicle.wrapper.RunWrapped\n`)).errors).toBeUndefined();
    expect((await deploy(client('EDITOR:teamA'), `id: wrapped-by-b\nnamespace: teamA\nwrappers:\n  - { namespace: teamB, flowId: outer }\ntasks:\n  - { id: a, type: Log, message: inner }\n`)).errors).toBeUndefined();
    const outerRuns = async () => (await admin.data(`{ executions(namespace: "teamB", flowId: "outer") { totalCount } }`)).executions.totalCount as number;
    const attempts = [
      client('OPERATOR:teamA').graphql(`mutation { createExecution(namespace: "teamA", flowId: "wrapped-by-b") { id } }`),
      client('OPERATOR:teamA').graphql(`mutation { createExecution(namespace: "teamA", flowId: "f", wrappers: [{ namespace: "teamB", flowId: "outer" }]) { id } }`),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toMatch(/wrapper flow teamB\.outer is in namespace teamB, which a flow of teamA may not start.*CHRONICLE_NAMESPACE_ALLOW/);
      counted('abuse: cross-namespace wrappers');
    }
    expect(await outerRuns()).toBe(0);
  });

  it('answers a reference to another namespace\'s flow (wrappers, Subflow, Flow trigger) the same whether that flow exists or not', async () => {
    const { admin, client, deploy, start, until, counted } = suite();
    // teamB's `outer-cycle` wraps teamA's `cyc`: looked up, it would tell (a wrapper cycle) that it exists.
    expect((await deploy(admin, `id: cyc\nnamespace: teamA\ntasks:\n  - { id: a, type: Log, message: x }\n`)).errors).toBeUndefined();
    expect((await deploy(admin, `id: outer-cycle\nnamespace: teamB\nwrappers:\n  - { namespace: teamA, flowId: cyc }\ntasks:\n  - id: run\n    type: io.chronicle.wrapper.RunWrapped\n`)).errors).toBeUndefined();
    const editor = client('EDITOR:teamA');
    const same = (a: unknown, b: unknown, existing: string, missing: string) =>
      expect(JSON.stringify(a).replaceAll(existing, 'X'), `${existing} / ${missing}`).toBe(JSON.stringify(b).replaceAll(missing, 'X'));
    const references: Array<[string, (target: string) => string]> = [
      ['wrappers', (t) => `id: cyc\nnamespace: teamA\nwrappers:\n  - { namespace: teamB, flowId: ${t} }\ntasks:\n  - { id: a, type: Log, message: x }\n`],
      ['Subflow', (t) => `id: refers-subflow\nnamespace: teamA\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: teamB\n    flowId: ${t}\n`],
      ['Flow trigger', (t) => `id: refers-trigger\nnamespace: teamA\ntasks:\n  - { id: a, type: Log, message: x }\ntriggers:\n  - id: up\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlowCondition\n        namespace: teamB\n        flowId: ${t}\n`],
    ];
    for (const [name, source] of references) {
      same(await deploy(editor, source('outer-cycle')), await deploy(editor, source('no-such-flow')), 'outer-cycle', 'no-such-flow');
      counted('abuse: other namespaces\' flows told apart', 1);
      void name;
    }
    // At start: wrappers added to a run, existing and missing alike refused for their namespace.
    const started = (t: string) => client('OPERATOR:teamA').graphql(`mutation($t: String!) { createExecution(namespace: "teamA", flowId: "f", wrappers: [{ namespace: "teamB", flowId: $t }]) { id } }`, { t });
    const [existing, missing] = [await started('outer-cycle'), await started('no-such-flow')];
    expect(existing.errors?.[0]?.message).toMatch(/is in namespace teamB, which a flow of teamA may not start/);
    same(existing.errors, missing.errors, 'outer-cycle', 'no-such-flow');
    counted('abuse: other namespaces\' flows told apart', 1);
    // A Subflow's failure says the same for both.
    const errorOf = async (t: string) => {
      await deploy(admin, `id: call-${t}\nnamespace: teamA\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: teamB\n    flowId: ${t}\n    wait: true\n    transmitFailed: true\n`);
      const id = await start('teamA', `call-${t}`);
      await until(id, TERMINAL);
      const { execution } = await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { attempts { error } } } }`, { id });
      return { state: execution.state, errors: execution.taskRuns.flatMap((t: any) => t.attempts.map((a: any) => a.error?.message ?? a.error)) };
    };
    same(await errorOf('outer-cycle'), await errorOf('no-such-flow'), 'outer-cycle', 'no-such-flow');
    counted('abuse: other namespaces\' flows told apart', 1);
  });

  it('lets a Subflow start flows only in its own namespace, its children, or an allowed one', async () => {
    const { admin, start, until, counted } = suite();
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
      const children = async () => (await admin.data(`query($p: ID!) { executions(parentId: $p) { totalCount } }`, { p: parent })).executions.totalCount as number;
      if (expected === 'FAILED') {
        expect(JSON.stringify(execution.taskRuns)).toMatch(new RegExp(`may not start a flow in namespace ${to.replace('.', '\\.')}.*CHRONICLE_NAMESPACE_ALLOW`));
        expect(await children(), `no child in ${to}`).toBe(0);
      } else {
        // Lists read the read model, which may lag the log: the child's row comes when it comes.
        await eventually(`the child of ${from} in ${to} listed`, async () => (await children()) === 1);
      }
      counted('abuse: cross-namespace Subflow');
    }
  });

  it('lets a ForEachItem start its batches only in its own namespace, its children, or an allowed one', async () => {
    const { admin, deploy, start, until, counted } = suite();
    const child = (ns: string) => `id: fe-child\nnamespace: ${ns}\ninputs:\n  - id: items\n    type: STRING\ntasks:\n  - id: a\n    type: Log\n    message: "{{ inputs.items }}"\n`;
    const parent = (target: string) => `id: fe-to-${target.replace(/\./g, '-')}\nnamespace: teamA\ntasks:\n  - id: w\n    type: io.kestra.plugin.core.storage.Write\n    content: "one\\ntwo\\n"\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEachItem\n    items: "{{ outputs.w.uri }}"\n    batch:\n      rows: 1\n    namespace: ${target}\n    flowId: fe-child\n    wait: true\n    transmitFailed: true\n    inputs:\n      items: "{{ taskrun.items }}"\n`;
    const children = async (ns: string) => (await admin.data(`query($ns: String!) { executions(namespace: $ns, flowId: "fe-child") { totalCount } }`, { ns })).executions.totalCount as number;
    for (const [target, expected] of [['teamB', 'FAILED'], ['teamA.sub', 'SUCCESS']] as const) {
      expect((await deploy(admin, child(target))).errors).toBeUndefined();
      expect((await deploy(admin, parent(target))).errors).toBeUndefined();
      const id = await start('teamA', `fe-to-${target.replace(/\./g, '-')}`);
      await until(id, TERMINAL);
      const { execution } = await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { taskId attempts { error } } } }`, { id });
      expect(execution.state, `teamA -> ${target}: ${JSON.stringify(execution.taskRuns)}`).toBe(expected);
      if (expected === 'FAILED') {
        // Every batch refused (its reason is the Subflow's, the task's error counts them), and none started in teamB.
        expect(JSON.stringify(execution.taskRuns)).toMatch(/2 of 2 subflow executions failed/);
        expect(await children('teamB')).toBe(0);
      } else {
        await eventually('both batches listed', async () => (await children(target)) >= 2);
      }
      counted('abuse: cross-namespace ForEachItem');
    }
  });

  it('lets another namespace\'s Flow trigger react to an execution, without its outputs', async () => {
    const { admin, start, until, counted } = suite();
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: `id: producer\nnamespace: teamA\nlabels:\n  tier: gold-label-123\ntasks:\n  - id: t\n    type: OutputValues\n    values:\n      v: producer-data-123\noutputs:\n  - id: result\n    type: STRING\n    value: "{{ outputs.t.values.v }}"\n`,
    });
    const listener = (ns: string) => `id: listener\nnamespace: ${ns}\ntasks:\n  - id: a\n    type: Log\n    message: "{{ trigger.state }}"\ntriggers:\n  - id: on-producer\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlowCondition\n        namespace: teamA\n        flowId: producer\n`;
    for (const ns of ['teamA', 'teamB']) await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: listener(ns) });
    // A condition on the outputs must not judge another namespace's: it would tell their content, a bit per trigger.
    const oracle = (ns: string) => `id: oracle\nnamespace: ${ns}\ntasks:\n  - id: a\n    type: Log\n    message: leaked\ntriggers:\n  - id: guess\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlowCondition\n        namespace: teamA\n        flowId: producer\n      - type: io.kestra.plugin.core.condition.ExecutionOutputs\n        expression: "{{ trigger.outputs.result == 'producer-data-123' }}"\n`;
    for (const ns of ['teamA', 'teamB']) await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: oracle(ns) });
    // Nor may a condition on its labels (ExecutionLabels, or an Expression reading them) tell another namespace's labels.
    const labelOracle = (ns: string) => `id: label-oracle\nnamespace: ${ns}\ntasks:\n  - id: a\n    type: Log\n    message: leaked\ntriggers:\n  - id: by-labels\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlowCondition\n        namespace: teamA\n        flowId: producer\n      - type: io.kestra.plugin.core.condition.ExecutionLabels\n        labels:\n          tier: gold-label-123\n  - id: by-expression\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlowCondition\n        namespace: teamA\n        flowId: producer\n      - type: io.kestra.plugin.core.condition.Expression\n        expression: "{{ labels.tier == 'gold-label-123' }}"\n`;
    for (const ns of ['teamA', 'teamB']) await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: labelOracle(ns) });
    const upstream = await start('teamA', 'producer');
    await until(upstream, ['SUCCESS']);
    const triggered = async (ns: string) => eventually(`the ${ns} listener`, async () =>
      (await admin.data(`query($ns: String!) { executions(namespace: $ns, flowId: "listener") { edges { node { trigger } } } }`, { ns })).executions.edges[0]?.node.trigger);
    expect(await triggered('teamA')).toMatchObject({ executionId: upstream, state: 'SUCCESS', outputs: { result: 'producer-data-123' } });
    const other = await triggered('teamB');
    expect(other).toMatchObject({ executionId: upstream, namespace: 'teamA', state: 'SUCCESS', outputs: {} });
    expect(JSON.stringify(other)).not.toContain('producer-data-123');
    // teamA's oracle fires (its own namespace's outputs); teamB's, judged after teamB's listener fired for the same upstream, did not.
    await eventually('the teamA oracle', async () => (await admin.data(`{ executions(namespace: "teamA", flowId: "oracle") { totalCount } }`)).executions.totalCount === 1);
    expect((await admin.data(`{ executions(namespace: "teamB", flowId: "oracle") { totalCount } }`)).executions.totalCount).toBe(0);
    // The same for labels: teamA's own label oracles fire (both triggers), teamB's never.
    await eventually('the teamA label oracles', async () => (await admin.data(`{ executions(namespace: "teamA", flowId: "label-oracle") { totalCount } }`)).executions.totalCount === 2);
    expect((await admin.data(`{ executions(namespace: "teamB", flowId: "label-oracle") { totalCount } }`)).executions.totalCount).toBe(0);
    counted('trigger kinds: Flow across namespaces', 6);
  });
}
