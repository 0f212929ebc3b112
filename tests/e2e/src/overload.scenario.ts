import { Kafka, logLevel } from 'kafkajs';
import { expect, it } from 'vitest';
import { eventually, rawRequest, untilTerminal, type GatewayClient } from '@chronicle/testing';

/** The bound the overload scenarios run under (CHRONICLE_MAX_IN_FLIGHT), with a hold long enough that only ends free slots. */
export const OVERLOAD_ENV = { CHRONICLE_MAX_IN_FLIGHT: '2', CHRONICLE_IN_FLIGHT_HOLD_MS: '600000' };

const NS = 'overload.e2e';
// Each execution pauses: it holds its admission slot until it is resumed and ends.
const GATE = `id: gate
namespace: ${NS}
inputs:
  - { id: n, type: INT, defaults: 0 }
tasks:
  - { id: hold, type: io.kestra.plugin.core.flow.Pause }
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: overload-key-123
`;

const deploy = (c: GatewayClient) => c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: GATE });
const stateOf = async (c: GatewayClient, id: string) => (await c.data(`query($id:ID!){ execution(id:$id){ state } }`, { id })).execution?.state as string | undefined;
const resume = (c: GatewayClient, id: string) => c.data(`mutation($id:ID!){ resumeExecution(id:$id){ id } }`, { id });

async function pausedStart(c: GatewayClient): Promise<string> {
  const res = await c.rest('POST', `/api/v1/executions/${NS}/gate`, {});
  expect(res.status).toBe(200);
  const { id } = (await res.json()) as { id: string };
  await eventually(`${id} paused`, async () => (await stateOf(c, id)) === 'PAUSED', 60_000);
  return id;
}

/** Admission control through the gateway: REST, webhook and GraphQL starts past the bound, reads meanwhile. */
export function overloadScenario(client: () => GatewayClient): void {
  it('past CHRONICLE_MAX_IN_FLIGHT, REST, webhook and GraphQL starts are refused at once with 429 + Retry-After; reads and the UI are served; what was accepted completes', async () => {
    const c = client();
    await deploy(c);
    const held = [await pausedStart(c), await pausedStart(c)];

    const rest = await c.rest('POST', `/api/v1/executions/${NS}/gate`, {});
    expect(rest.status).toBe(429);
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await rest.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'OVERLOADED', message: expect.stringContaining('CHRONICLE_MAX_IN_FLIGHT'), details: { retryAfterSeconds: 1 } });
    // Refused before the body is read (multipart, a megabyte announced): the same refusal.
    const announced = await rawRequest(c.url, `POST /api/v1/executions/${NS}/gate HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${c.token}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000\r\n\r\n`);
    expect(announced.status).toBe(429);
    // A caller without a token still learns that first.
    expect((await fetch(`${c.url}/api/v1/executions/${NS}/gate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);

    const hook = await fetch(`${c.url}/api/v1/executions/webhook/${NS}/gate/overload-key-123?wait=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(hook.status).toBe(429);
    expect(hook.headers.get('retry-after')).not.toBeNull();
    expect(await hook.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'OVERLOADED' });

    const graphql = await c.graphql(`mutation { createExecution(namespace:"${NS}", flowId:"gate"){ id } }`);
    expect(graphql.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'OVERLOADED', retryAfterSeconds: 1 });

    // Reads, control commands and the UI are not admission-controlled.
    expect((await c.rest('GET', `/api/v1/executions/search?namespace=${NS}`)).status).toBe(200);
    expect(await stateOf(c, held[0]!)).toBe('PAUSED');
    expect((await fetch(`${c.url}/`)).status).toBe(200);

    // A control command is not a start: REST resume (two segments after /executions, like a start)
    // is served at capacity. Its end frees a slot: the next start is admitted (it ends too), and
    // the held executions complete.
    const resumed = await c.rest('POST', `/api/v1/executions/${held[0]!}/resume`, {});
    expect(resumed.status).toBe(200);
    expect((await untilTerminal(c, held[0]!, 60_000)).state).toBe('SUCCESS');
    const admitted = await eventually('a start admitted once a slot is free', async () => {
      const res = await c.rest('POST', `/api/v1/executions/${NS}/gate`, {});
      return res.status === 200 ? ((await res.json()) as { id: string }).id : undefined;
    }, 60_000);
    for (const id of [held[1]!, admitted]) {
      await eventually(`${id} paused`, async () => (await stateOf(c, id)) === 'PAUSED', 60_000);
      await resume(c, id);
      expect((await untilTerminal(c, id, 60_000)).state).toBe('SUCCESS');
    }
  });
}

/** Kafka triggers past the bound pause consumption instead of refusing: every message starts its execution once slots free. */
export function kafkaOverloadScenario(ctx: () => { client: GatewayClient; brokers: string[]; topicPrefix: string }): void {
  it('a Kafka trigger past CHRONICLE_MAX_IN_FLIGHT stops consuming (nothing refused, nothing lost) and resumes as executions end', async () => {
    const { client: c, brokers, topicPrefix } = ctx();
    await deploy(c);
    const kafka = new Kafka({ clientId: 'e2e-overload', brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: `${topicPrefix}.triggers`, messages: [1, 2, 3, 4].map((n) => ({ key: `k${n}`, value: JSON.stringify({ namespace: NS, flowId: 'gate', inputs: { n }, idempotencyKey: `overload-${n}` }) })) });
    await producer.disconnect();
    const fromKafka = async () => {
      const { executions } = await c.data(`query { executions(namespace:"${NS}", flowId:"gate", first: 50){ edges { node { id state inputs } } } }`);
      // The trigger events carry n = 1..4; the gateway scenario's starts keep the default 0.
      return (executions.edges as Array<{ node: { id: string; state: string; inputs: { n?: number } } }>).map((e) => e.node).filter((e) => (e.inputs.n ?? 0) > 0);
    };
    // Two admitted and paused; the other two messages wait unconsumed.
    const first = await eventually('two trigger executions paused', async () => {
      const found = await fromKafka();
      return found.filter((e) => e.state === 'PAUSED').length >= 2 ? found : undefined;
    }, 60_000);
    expect(first).toHaveLength(2);
    // Each end lets one more message through; in the end all four ran, none twice.
    const done = new Set<string>();
    await eventually('all four trigger executions ended', async () => {
      for (const e of await fromKafka()) {
        if (e.state === 'PAUSED' && !done.has(e.id)) {
          done.add(e.id);
          await resume(c, e.id);
        }
      }
      const all = await fromKafka();
      return all.length === 4 && all.every((e) => e.state === 'SUCCESS');
    }, 90_000, 200);
  });
}
