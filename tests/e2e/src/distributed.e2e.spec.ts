import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@chronicle/dev-infra';
import { API_TOKENS_SPEC, apiScenario, BENCHMARK01_FLOW, createTestDatabase, foundationScenario, GatewayClient, testKafkaBrokers, uniqueTopicPrefix, untilTerminal, type TestDatabase } from '@chronicle/testing';
import { startService, type ServiceProcess } from './service-processes.js';
import { Kafka, logLevel } from 'kafkajs';
import { topicNames } from '@chronicle/messaging';
import { contractDeadLettersScenario, type RawPublish } from './contracts.scenario.js';

/** Raw JSON values on a topic, as any producer (an older build, a foreign one) could write them. */
const publishRaw: RawPublish = async (topic, messages) => {
  const producer = new Kafka({ clientId: 'e2e-contracts', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: messages.map((m) => ({ key: m.key, value: JSON.stringify(m.value) })) });
  } finally {
    await producer.disconnect();
  }
};
import { restBulkAndKvScenario } from './rest-bulk-kv.scenario.js';

const TOKEN = 'e2e-distributed-admin-token-0123456789';

// Distributed mode: two gateways, scheduler, projection and two executor replicas, each its own
// OS process, talking over the real Kafka broker, with the real Postgres.
describe('distributed mode (four services as OS processes over Kafka), end to end', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];
  let client: GatewayClient;
  let urlA = '';
  let urlB = '';
  const prefix = uniqueTopicPrefix('e2e');

  beforeAll(async () => {
    db = await createTestDatabase('e2e_distributed');
    const port = await freePort();
    const portB = await freePort();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      CHRONICLE_TOPIC_PREFIX: prefix,
      CHRONICLE_TOKENS: `ADMIN=${TOKEN},${API_TOKENS_SPEC}`,
      CHRONICLE_LOG_LEVEL: 'info',
    };
    // The projection migrates the read model; the others wait for it.
    const projection = startService('projection', 'projection', env);
    services.push(projection);
    await projection.waitFor(/projection ready/);
    services.push(startService('executor', 'executor-1', { ...env, CHRONICLE_INSTANCE_ID: 'executor-1' }));
    services.push(startService('executor', 'executor-2', { ...env, CHRONICLE_INSTANCE_ID: 'executor-2' }));
    services.push(startService('scheduler', 'scheduler', env));
    const gateway = startService('gateway', 'gateway', { ...env, PORT: String(port), CHRONICLE_INSTANCE_ID: 'gateway-a' });
    services.push(gateway);
    services.push(startService('gateway', 'gateway-b', { ...env, PORT: String(portB), CHRONICLE_INSTANCE_ID: 'gateway-b' }));
    await Promise.all(services.map((s) => s.waitFor(/(executor|scheduler|projection) ready|gateway listening/)));
    urlA = `http://127.0.0.1:${port}`;
    urlB = `http://127.0.0.1:${portB}`;
    client = new GatewayClient(urlA, TOKEN);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  it('runs every service as a separate OS process', () => {
    const pids = new Set(services.map((s) => s.child.pid));
    expect(pids.size).toBe(6);
    expect(pids.has(process.pid)).toBe(false);
  });

  it('serves the live monitor from the gateway process, with the SPA fallback and the API untouched', async () => {
    const root = await fetch(`${urlA}/`);
    expect(root.status).toBe(200);
    const html = await root.text();
    expect(html).toMatch(/<div id="root">/);
    const deepLink = await fetch(`${urlB}/executions/some-id`);
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toBe(html);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    expect((await fetch(`${urlA}${script}`)).status).toBe(200);
    expect((await fetch(`${urlA}/api/v1/executions/nope`)).status).toBe(401);
  });

  foundationScenario(() => client);
  restBulkAndKvScenario(() => client);

  // Gateway B is another OS process: updates reach it over Kafka, not through gateway A.
  apiScenario(() => ({ url: urlA, otherUrl: urlB }));

  // Over the real broker: the services' consumers dead-letter what their contracts refuse.
  contractDeadLettersScenario(() => client, () => publishRaw, () => topicNames(prefix));

  it('shares the work between two executor replicas and ends every execution once', async () => {
    // benchmark01's two tasks are local (run in the executor's decision); the Echo goes to a worker.
    const flow = `${BENCHMARK01_FLOW}  - id: echo\n    type: Echo\n    format: "{{ outputs.concatenate.values.message }}"\n`;
    await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: flow });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { createExecution } = await client.data(`mutation($i:JSON){ createExecution(namespace:"benchmarks", flowId:"benchmark01", inputs:$i){ id } }`, { i: { name: `n${i}` } });
      ids.push(createExecution.id);
    }
    for (const id of ids) {
      const done = await untilTerminal(client, id, 60_000);
      expect(done.state).toBe('SUCCESS');
      expect(done.stateHistory.filter((h: { state: string }) => h.state === 'SUCCESS')).toHaveLength(1);
    }
    // Task runs are keyed by execution id over 4 partitions: 40 executions land on both replicas.
    const workers = new Set<string>();
    for (const id of ids) {
      const { executionHistory } = await client.data(`query($id:ID!){ executionHistory(id:$id){ type data } }`, { id });
      for (const e of executionHistory) if (e.type === 'TaskRunStarted') workers.add(e.data.workerId);
    }
    expect([...workers].sort()).toEqual(['executor (local task)', 'executor-1', 'executor-2']);
  });
});
