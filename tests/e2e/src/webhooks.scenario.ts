import { createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';
import { executionsOf } from './triggers.scenario.js';

const FLOW = `id: hooked
namespace: triggers.webhook
tasks:
  - id: echo
    type: OutputValues
    values:
      who: "{{ trigger.body.who ?? trigger.parameters.who ?? 'nobody' }}"
      agent: "{{ trigger.headers['x-agent'] ?? '' }}"
outputs:
  - id: greeting
    type: STRING
    value: "hello {{ outputs.echo.values.who }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: open-sesame-123
  - id: signed
    type: io.kestra.plugin.core.trigger.Webhook
    key: signed-key-456
    secret: webhook-hmac-secret
`;

/** Webhooks through the gateway: bodies, wait, signatures, limits, and the uniform 404. */
export function webhookScenario(client: () => GatewayClient): void {
  const hook = (path: string, init: RequestInit = {}) => fetch(`${client().url}/api/v1/executions/webhook/triggers.webhook/hooked/${path}`, init);

  it('passes JSON, form and text bodies, headers and query parameters to the flow as trigger.*', async () => {
    await client().data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: FLOW });
    const json = await hook('open-sesame-123', { method: 'POST', headers: { 'content-type': 'application/json', 'x-agent': 'e2e' }, body: JSON.stringify({ who: 'json' }) });
    expect(json.status).toBe(200);
    const started: any = await json.json();
    expect(started).toMatchObject({ namespace: 'triggers.webhook', flowId: 'hooked', state: { current: 'CREATED' } });
    const done = await untilTerminal(client(), started.id);
    expect(done.taskRuns[0].outputs.values).toEqual({ who: 'json', agent: 'e2e' });

    const form = await hook('open-sesame-123', { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'who=form' });
    expect((await untilTerminal(client(), ((await form.json()) as any).id)).taskRuns[0].outputs.values.who).toBe('form');
    const get = await hook('open-sesame-123?who=query');
    expect((await untilTerminal(client(), ((await get.json()) as any).id)).taskRuns[0].outputs.values.who).toBe('query');
    const text = await hook('open-sesame-123', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'plain words' });
    const textRun = await untilTerminal(client(), ((await text.json()) as any).id);
    expect(textRun.state).toBe('SUCCESS');
  });

  it('with ?wait=true answers once the execution ends, with its state and flow outputs', async () => {
    const res = await hook('open-sesame-123?wait=true', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ who: 'waiter' }) });
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body.state.current).toBe('SUCCESS');
    expect(body.outputs).toEqual({ greeting: 'hello waiter' });
    // Standalone answers with the end decided in the creation's own write: the same execution the API reads afterwards.
    const read = await client().rest('GET', `/api/v1/executions/${body.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(body);
    // The read model (lists come from it only) holds the same end once it has projected it.
    const listed = await eventually('the execution listed as ended', async () => {
      const row = (await executionsOf(client(), 'triggers.webhook', 'hooked')).find((e) => e.id === body.id);
      return row?.state === 'SUCCESS' ? row : undefined;
    }, 60_000);
    expect(listed.trigger.body).toEqual({ who: 'waiter' });
  });

  it('runs the revision deployed just before the call, and refuses the call right after the flow is disabled (409) or deleted (404)', async () => {
    // The gateway keeps a flow between webhook calls (FlowRepository.cachedHead): a change must reach the very next call.
    const revised = (version: string) => `id: revised\nnamespace: triggers.webhook\ntasks:\n  - id: echo\n    type: OutputValues\n    values:\n      version: ${version}\noutputs:\n  - id: version\n    type: STRING\n    value: "{{ outputs.echo.values.version }}"\ntriggers:\n  - id: hook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: revised-key-789\n`;
    // The suite's webhook rate limit is low: a 429 is waited out (its Retry-After), never counted as an answer.
    const call = async (): Promise<Response> => {
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(`${client().url}/api/v1/executions/webhook/triggers.webhook/revised/revised-key-789?wait=true`, { method: 'POST' });
        if (res.status !== 429 || attempt >= 60) return res;
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
      }
    };
    const deploy = async (source: string) => (await client().data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: source })).deployFlow.revision as number;
    const lifecycle = (action: 'disableFlow' | 'enableFlow' | 'deleteFlow') => client().data(`mutation { ${action}(namespace: "triggers.webhook", id: "revised") { id } }`, {});
    const run = async () => {
      const res = await call();
      expect(res.status).toBe(200);
      const body: any = await res.json();
      expect(body.state.current).toBe('SUCCESS');
      return { revision: body.flowRevision as number, version: body.outputs.version as string };
    };
    const first = await deploy(revised('one'));
    // Several calls, so that the flow is kept in memory once the gateway follows the flow streams.
    for (let i = 0; i < 5; i++) expect(await run()).toEqual({ revision: first, version: 'one' });
    const second = await deploy(revised('two'));
    expect(second).toBe(first + 1);
    expect(await run()).toEqual({ revision: second, version: 'two' });
    for (let i = 0; i < 3; i++) expect(await run()).toEqual({ revision: second, version: 'two' });
    await lifecycle('disableFlow');
    expect((await call()).status).toBe(409);
    await lifecycle('enableFlow');
    expect(await run()).toEqual({ revision: second, version: 'two' });
    await lifecycle('deleteFlow');
    expect((await call()).status).toBe(404);
    // Deployed again after the delete: the new revision runs at once.
    const third = await deploy(revised('three'));
    expect(await run()).toEqual({ revision: third, version: 'three' });
  });

  it('refuses a bad HMAC signature with 401 and starts nothing; a good one runs', async () => {
    // The executions this test could start (others may still be on their way into the list).
    const signedOnes = async () => (await executionsOf(client(), 'triggers.webhook', 'hooked')).filter((e) => e.trigger?.body?.who === 'signed').length;
    const before = await signedOnes();
    const payload = JSON.stringify({ who: 'signed' });
    const bad = await hook('signed-key-456', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) }, body: payload });
    expect(bad.status).toBe(401);
    const missing = await hook('signed-key-456', { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
    expect(missing.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await signedOnes()).toBe(before);
    const signature = 'sha256=' + createHmac('sha256', 'webhook-hmac-secret').update(payload).digest('hex');
    const good = await hook('signed-key-456', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: payload });
    expect(good.status).toBe(200);
    expect((await untilTerminal(client(), ((await good.json()) as any).id)).state).toBe('SUCCESS');
  });

  it('answers the same 404 for an unknown flow, a wrong key and a missing trigger', async () => {
    const wrongKey = await hook('not-the-key');
    const unknownFlow = await fetch(`${client().url}/api/v1/executions/webhook/triggers.webhook/nope/open-sesame-123`);
    const unknownNs = await fetch(`${client().url}/api/v1/executions/webhook/nowhere/hooked/open-sesame-123`);
    const bodies = await Promise.all([wrongKey, unknownFlow, unknownNs].map(async (r) => [r.status, await r.text()]));
    expect(bodies).toEqual([bodies[0], bodies[0], bodies[0]]);
    expect(bodies[0]![0]).toBe(404);
  });

  it('a trigger disabled at run time (disableTrigger) answers the same 404 until it is enabled again', async () => {
    const c = client();
    const toggle = (op: 'disableTrigger' | 'enableTrigger') =>
      c.data(`mutation{ ${op}(namespace:"triggers.webhook", flowId:"hooked", triggerId:"hook"){ enabled } }`);
    expect((await toggle('disableTrigger')).disableTrigger.enabled).toBe(false);
    // Another process may hold the cache: the change reaches it through the store's notification.
    await eventually('the webhook refused', async () => (await hook('open-sesame-123', { method: 'POST' })).status === 404);
    expect(await (await hook('open-sesame-123', { method: 'POST' })).text()).toBe(await (await hook('not-the-key')).text());
    expect((await toggle('enableTrigger')).enableTrigger.enabled).toBe(true);
    await eventually('the webhook accepted again', async () => (await hook('open-sesame-123', { method: 'POST' })).status === 200);
  });

  it('answers 413 for an oversized body and 429 with Retry-After past the rate limit', async () => {
    const big = await hook('open-sesame-123', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ who: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    // The suite runs with CHRONICLE_WEBHOOK_RATE_PER_SECOND=5: thirty at once outrun it even when a
    // loaded machine takes seconds to take them in (twelve did not, once).
    const burst = await Promise.all(Array.from({ length: 30 }, () => hook('open-sesame-123?who=burst')));
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await eventually('the admitted burst to finish', async () => {
      const runs = (await executionsOf(client(), 'triggers.webhook', 'hooked')).filter((e) => e.trigger?.parameters?.who === 'burst');
      return runs.length === burst.length - limited.length && runs.every((e) => e.state === 'SUCCESS');
    }, 60_000);
  });

  it('takes flow inputs from the query string (inputs.<id>=), over the ones the trigger renders from the body', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: typed
namespace: triggers.webhook
inputs:
  - id: who
    type: STRING
  - id: count
    type: INT
    defaults: 1
tasks:
  - id: echo
    type: OutputValues
    values:
      line: "{{ inputs.who }} x{{ inputs.count }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: typed-key-789
    inputs:
      who: "{{ trigger.body.who }}"
` });
    const call = async (query: string) => {
      const res = await fetch(`${c.url}/api/v1/executions/webhook/triggers.webhook/typed/typed-key-789${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ who: 'body' }) });
      expect(res.status).toBe(200);
      return (await untilTerminal(c, ((await res.json()) as { id: string }).id)) as any;
    };
    const fromBody = await call('');
    expect(fromBody.inputs).toEqual({ who: 'body', count: 1 });
    const fromQuery = await call('?inputs.count=3&inputs[who]=query');
    expect(fromQuery.inputs).toEqual({ who: 'query', count: 3 });
    expect(fromQuery.taskRuns[0].outputs.values).toEqual({ line: 'query x3' });
    const { execution } = await c.data(`query($id: ID!){ execution(id: $id){ trigger } }`, { id: fromQuery.id });
    expect(execution.trigger.parameters).toMatchObject({ 'inputs.count': '3' });
  });
}
