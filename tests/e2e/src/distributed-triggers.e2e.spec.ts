import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, eventually, testKafkaBrokers, uniqueTopicPrefix, untilTerminal, type GatewayClient, type TestDatabase } from '@chronicle/testing';
import { kafkaTriggerScenario } from './kafka-triggers.scenario.js';
import { distributedEnv, startDistributed, startService, type ServiceProcess } from './service-processes.js';
import { executionsOf, flowAndScheduleTriggerScenario } from './triggers.scenario.js';
import { webhookScenario } from './webhooks.scenario.js';
import { httpTriggerScenario } from './http-trigger.scenario.js';
import { restParityScenario } from './rest-parity.scenario.js';

const TOKEN = 'e2e-distributed-triggers-token-0123456789';

// Triggers with the services as OS processes over Kafka and TWO scheduler processes at once:
// every tick, message and upstream end must still start exactly one execution.
describe('triggers in distributed mode with two schedulers, end to end', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];
  let client: GatewayClient;
  let env: Record<string, string>;
  const topicPrefix = uniqueTopicPrefix('dtrig');

  beforeAll(async () => {
    db = await createTestDatabase('e2e_dist_triggers');
    env = distributedEnv(db.url, topicPrefix, `ADMIN=${TOKEN}`, {
      CHRONICLE_WEBHOOK_RATE_PER_SECOND: '5',
      // Killed schedulers hold their partitions until their Kafka session expires: keep that short here.
      CHRONICLE_KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
    client = await startDistributed(services, env, TOKEN, [
      { app: 'executor', name: 'executor' },
      { app: 'scheduler', name: 'scheduler-1', env: { CHRONICLE_INSTANCE_ID: 'scheduler-1' } },
      { app: 'scheduler', name: 'scheduler-2', env: { CHRONICLE_INSTANCE_ID: 'scheduler-2' } },
    ]);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  it('runs two scheduler processes', () => {
    expect(services.filter((s) => s.name.startsWith('scheduler')).map((s) => s.child.pid)).toHaveLength(2);
  });

  flowAndScheduleTriggerScenario(() => client);
  // The scheduler process polls (its own Secrets, envs and globals).
  httpTriggerScenario(() => client);
  webhookScenario(() => client);
  restParityScenario(() => client);
  kafkaTriggerScenario(() => ({ client, brokers: testKafkaBrokers(), topicPrefix }));

  it('starts each Kafka trigger event once even when both schedulers are killed mid-batch and one restarts', async () => {
    await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: crash-safe\nnamespace: triggers.crash\ninputs:\n  - id: n\n    type: INT\ntasks:\n  - id: work\n    type: Log\n    message: "n={{ inputs.n }}"\n` });
    const kafka = new Kafka({ clientId: 'e2e-crash', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    // No idempotency keys: the execution id comes from topic/partition/offset, so a redelivery maps to the same id.
    await producer.send({ topic: `${topicPrefix}.triggers`, messages: Array.from({ length: 60 }, (_, n) => ({ key: `k${n % 7}`, value: JSON.stringify({ namespace: 'triggers.crash', flowId: 'crash-safe', inputs: { n } }) })) });
    await producer.disconnect();
    // Kill both schedulers while they work through the batch: some creations are durable, their offsets not yet committed.
    await eventually('the batch to be under way', async () => (await executionsOf(client, 'triggers.crash', 'crash-safe')).length > 0, 20_000, 20);
    const schedulers = services.filter((s) => s.name.startsWith('scheduler'));
    await Promise.all(schedulers.map((s) => s.stop('SIGKILL')));
    const restarted = startService('scheduler', 'scheduler-3', { ...env, CHRONICLE_INSTANCE_ID: 'scheduler-3' });
    services.push(restarted);
    await restarted.waitFor(/scheduler ready/);
    const all = await eventually('all 60 executions', async () => {
      const list = await executionsOf(client, 'triggers.crash', 'crash-safe');
      return list.length >= 60 && list;
    }, 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    const final = await executionsOf(client, 'triggers.crash', 'crash-safe');
    expect(final).toHaveLength(60);
    expect(new Set(final.map((e) => e.inputs.n)).size).toBe(60);
    for (const e of all.slice(-5)) expect((await untilTerminal(client, e.id)).state).toBe('SUCCESS');
  }, 180_000);
});
