import { createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import { parseFlow, CORE_TASK_CATALOG } from '@chronicle/domain';
import { eventually, GatewayClient } from '@chronicle/testing';
import { HMAC_SECRET, SECRET_DEFAULT, WEBHOOK_KEY } from './security-fixtures.js';
import { NAMESPACES, PRINCIPALS, tokenOf } from './security-principals.js';
import type { SecuritySuite } from './security-suite.js';

const SECRET = 'hunter2-S3CRET-value-42';

/** SECRET inputs in every read path, webhook keys and secrets for readers, webhooks authorised by key. */
export function secretsScenario(suite: () => SecuritySuite): void {
  it('masks SECRET inputs in every read path, for every role, live and stored, and in log lines', async () => {
    const { chronicle, admin, client, until, counted } = suite();
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: `id: secret\nnamespace: teamA\ninputs:\n  - id: password\n    type: SECRET\n  - id: user\n    type: STRING\ntasks:\n  - id: wait\n    type: Pause\n    pauseDuration: PT0.3S\n  - id: say\n    type: Log\n    message: "logging in {{ inputs.user }} with {{ inputs.password }}"\n  - id: copy\n    type: OutputValues\n    values:\n      copied: "pw={{ inputs.password }}"\n`,
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
    const last = (await admin.data(`query($id: ID!) { execution(id: $id) { revision } }`, { id })).execution.revision as number;
    const answers: Array<[string, string]> = [['REST start', restStarted], ['createExecution', JSON.stringify(started)]];
    for (const principal of PRINCIPALS.filter((p) => p.role)) {
      const c = new GatewayClient(chronicle.url, principal.token);
      const read = async (what: string, query: string) => answers.push([`${what} as ${principal.name}`, JSON.stringify(await c.data(query, { id }))]);
      const whole = 'inputs outputs labels trigger error taskRuns { outputs attempts { error } }';
      await read('execution', `query($id: ID!) { execution(id: $id) { ${whole} logs { edges { node { message } } } } }`);
      await read('executions', `query { executions(namespace: "teamA", flowId: "secret") { edges { node { ${whole} } } } }`);
      await read('executionAt', `query($id: ID!) { executionAt(id: $id, revision: ${last}) { ${whole} } }`);
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
    const { execution } = await viewer.data(`query($id: ID!) { execution(id: $id) { inputs taskRuns { taskId outputs } logs { edges { node { message } } } } }`, { id });
    expect(execution.inputs).toEqual({ password: '******', user: 'ada' });
    expect(execution.logs.edges.map((e: any) => e.node.message)).toContain('logging in ada with ******');
    expect(execution.taskRuns.find((t: any) => t.taskId === 'copy').outputs).toMatchObject({ values: { copied: 'pw=******' } });
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
    const { chronicle, counted } = suite();
    const hidden = [WEBHOOK_KEY('teamA'), HMAC_SECRET('teamA'), SECRET_DEFAULT('teamA')];
    for (const principal of PRINCIPALS.filter((p) => p.role)) {
      const c = new GatewayClient(chronicle.url, principal.token);
      const answers = [
        JSON.stringify(await c.data(`{ flow(namespace: "teamA", id: "t") { source triggers inputs inputDefinitions { id type defaults } } }`)),
        JSON.stringify(await c.data(`{ flows(namespace: "teamA") { source triggers inputs inputDefinitions { id type defaults } } }`)),
        JSON.stringify(await c.data(`{ flowRevisions(namespace: "teamA", id: "t") { source triggers inputs inputDefinitions { id type defaults } } }`)),
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
        // The typed input definitions show what `inputs` shows: the SECRET default masked.
        const { flow: typed } = await c.data(`{ flow(namespace: "teamA", id: "t") { inputs inputDefinitions { id type defaults } } }`);
        const secretDefaults = typed.inputDefinitions.filter((i: any) => i.type === 'SECRET' && i.defaults !== null).map((i: any) => i.defaults);
        expect(secretDefaults.length, `a SECRET input with a default in the fixture, as ${principal.name}`).toBeGreaterThan(0);
        expect(secretDefaults.every((d: unknown) => d === '******'), `SECRET defaults as ${principal.name}`).toBe(true);
        // The masked source is still YAML with the same shape.
        expect(parseFlow(flow.source.replace('namespace: teamA', 'namespace: teamA'), CORE_TASK_CATALOG, 1).triggers).toHaveLength(5);
        expect(flow.triggers.find((t: any) => t.id === 'hook').key).toBe('******');
      }
    }
  });

  it('authorises a webhook by its key alone: any caller with the key starts the flow, a wrong key or namespace finds nothing', async () => {
    const { chronicle, counted } = suite();
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
}

/** What a webhook's caller (a key holder, often a third party, with no token) gets back. */
export function webhookAnswersScenario(suite: () => SecuritySuite): void {
  it('never answers a webhook caller with a SECRET value: a default, a value sent, or a copy in outputs or the error', async () => {
    const { chronicle, admin, counted } = suite();
    const fallback = 'webhook-default-S3CRET-0123456789';
    const sent = 'webhook-sent-S3CRET-0123456789';
    const flow = (id: string, returnOutputs: boolean) => `id: ${id}
namespace: teamA
inputs:
  - id: pw
    type: SECRET
    defaults: ${fallback}
  - id: other
    type: SECRET
    required: false
tasks:
  - id: copy
    type: OutputValues
    values:
      v: "pw={{ inputs.pw }} other={{ inputs.other ?? '' }}"
outputs:
  - id: o
    type: STRING
    value: "{{ outputs.copy.values.v }}"
triggers:
  - id: hook
    type: Webhook
    key: ${id}-key-0123456789
    returnOutputs: ${returnOutputs}
`;
    for (const [id, returnOutputs] of [['hook-secret', false], ['hook-secret-shaped', true]] as const) {
      await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: flow(id, returnOutputs) });
      for (const query of ['', '?wait=true', `?wait=true&inputs.other=${sent}`, `?inputs.other=${sent}`]) {
        const res = await fetch(`${chronicle.url}/api/v1/executions/webhook/teamA/${id}/${id}-key-0123456789${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        const text = await res.text();
        expect(res.status, `${id}${query}: ${text}`).toBeLessThan(300);
        expect(text, `${id}${query}`).not.toContain(fallback);
        expect(text, `${id}${query}`).not.toContain(sent);
        if (query.includes('wait')) expect(text, `${id}${query}`).toContain('pw=******');
        counted('abuse: SECRET masking');
      }
    }
  }, 120_000);
}

/** HMAC-signed webhooks: what a signature covers, built as the README documents it. */
export function webhookSignatureScenario(suite: () => SecuritySuite): void {
  it('binds a timestamped webhook signature to its method, webhook, query and body: none moves to another request', async () => {
    const { chronicle, admin, counted } = suite();
    const secret = 'shared-hmac-secret-0123456789';
    const flow = (id: string) => `id: ${id}\nnamespace: teamA\ntasks:\n  - id: a\n    type: Log\n    message: "{{ trigger.body }}"\ntriggers:\n  - id: hook\n    type: Webhook\n    key: ${id}-key-0123456789\n    secret: ${secret}\n`;
    for (const id of ['signed-a', 'signed-b']) await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, { s: flow(id) });
    const path = (id: string) => `/api/v1/executions/webhook/teamA/${id}/${id}-key-0123456789`;
    // README: chronicle-webhook-v1, method, path, query, timestamp, each on a line, then the body.
    const sign = (method: string, id: string, query: string, timestamp: string, body: string) =>
      `sha256=${createHmac('sha256', secret).update(`chronicle-webhook-v1\n${method}\n${path(id)}\n${query}\n${timestamp}\n${body}`).digest('hex')}`;
    const send = (method: string, id: string, query: string, body: string, headers: Record<string, string>) =>
      fetch(`${chronicle.url}${path(id)}${query ? `?${query}` : ''}`, { method, headers: { 'content-type': 'text/plain', ...headers }, body });
    const ts = String(Math.floor(Date.now() / 1000));
    const headers = (signature: string) => ({ 'x-chronicle-timestamp': ts, 'x-hub-signature-256': signature });
    const signed = sign('POST', 'signed-a', 'a=1.', ts, 'x');
    const attempts: Array<[string, Response, number]> = [
      ['as signed', await send('POST', 'signed-a', 'a=1.', 'x', headers(signed)), 200],
      // The old `<ts>.<query>.<body>` string read the same for query "a=1." + body "x" and query "a=1" + body ".x".
      ['query part moved into the body', await send('POST', 'signed-a', 'a=1', '.x', headers(signed)), 401],
      ['another webhook sharing the secret', await send('POST', 'signed-b', 'a=1.', 'x', headers(signed)), 401],
      ['another method', await send('PUT', 'signed-a', 'a=1.', 'x', headers(signed)), 401],
    ];
    for (const [what, res, status] of attempts) {
      expect(res.status, `${what}: ${await res.text()}`).toBe(status);
      counted('abuse: webhook signatures');
    }
  });
}

/** The REST reads (Kestra's paths) a reader below EDITOR has: logs, their download and live follow, searches, trees, flows and triggers. */
export function restSecretsScenario(suite: () => SecuritySuite): void {
  it('masks SECRET inputs, webhook keys and HMAC secrets in every REST read path for readers', async () => {
    const { chronicle, admin, client, until, counted } = suite();
    const secret = 'rest-S3CRET-value-77';
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: `id: rest-secret\nnamespace: teamA\ninputs:\n  - id: password\n    type: SECRET\ntasks:\n  - id: say\n    type: Log\n    message: "pw {{ inputs.password }}"\n  - id: copy\n    type: OutputValues\n    values:\n      copied: "{{ inputs.password }}"\n`,
    });
    const id = (await client('OPERATOR:teamA').data(`mutation($i: JSON) { createExecution(namespace: "teamA", flowId: "rest-secret", inputs: $i) { id } }`, { i: { password: secret } })).createExecution.id as string;
    await until(id, ['SUCCESS']);
    const hidden = [secret, WEBHOOK_KEY('teamA'), HMAC_SECRET('teamA'), SECRET_DEFAULT('teamA')];
    for (const name of ['VIEWER:teamA', 'OPERATOR:teamA', 'VIEWER', 'OPERATOR']) {
      const c = client(name);
      const read = async (path: string) => {
        const res = await c.rest('GET', path);
        expect(res.status, `${path} as ${name}`).toBe(200);
        return res.text();
      };
      const followed = async (path: string) => {
        const abort = new AbortController();
        const res = await fetch(`${chronicle.url}${path}`, { headers: { authorization: `Bearer ${tokenOf(name)}` }, signal: abort.signal });
        const reader = res.body!.getReader();
        let text = '';
        // The replayed lines come first; the stream then stays open for new ones.
        await eventually(`${path} to replay the lines`, async () => {
          const { value } = await reader.read();
          text += new TextDecoder().decode(value);
          return text.includes('pw ');
        });
        abort.abort();
        return text;
      };
      const answers: Array<[string, string]> = [
        ['logs', await read(`/api/v1/logs/${id}`)],
        ['logs download', await read(`/api/v1/logs/${id}/download`)],
        ['logs follow', await followed(`/api/v1/logs/${id}/follow`)],
        ['execution follow', await read(`/api/v1/executions/${id}/follow`)],
        ['execution search', await read(`/api/v1/executions/search?namespace=teamA&flowId=rest-secret`)],
        ['execution descendants', await read(`/api/v1/executions/${id}/descendants`)],
        ['flows search', await read(`/api/v1/flows/search?namespace=teamA`)],
        ['flows of namespace', await read(`/api/v1/flows/teamA`)],
        ['flow', await read(`/api/v1/flows/teamA/t`)],
        ['flow revisions', await read(`/api/v1/flows/teamA/t/revisions`)],
        ['triggers search', await read(`/api/v1/triggers/search?namespace=teamA`)],
        ['triggers of flow', await read(`/api/v1/triggers/teamA/t`)],
      ];
      expect(answers.find(([what]) => what === 'logs download')![1]).toContain('pw ******');
      for (const [what, text] of answers) {
        for (const value of hidden) expect(text, `${what} as ${name}`).not.toContain(value);
        counted('abuse: SECRET masking');
      }
    }
  });
}
