import { afterAll, beforeAll, describe } from 'vitest';
import { freePort } from '@chronicle/dev-infra';
import { createTestDatabase, GatewayClient, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { startService, type ServiceProcess } from './service-processes.js';
import { executionRecordScenario } from './execution-record.scenario.js';

const TOKEN = 'e2e-record-distributed-admin-token-01';
const READY = /(executor|scheduler|projection) ready|gateway listening/;

// Cloudomation's execution record (issue 15) in distributed mode: each service its own OS
// process over the real Kafka and Postgres (the scheduled start is a durable timer of the
// scheduler); `restart` stops every service and starts them again.
describe('execution record (run options, steering, tree) in distributed mode, end to end', () => {
  let db: TestDatabase;
  let services: ServiceProcess[] = [];
  let client: GatewayClient;
  let env: NodeJS.ProcessEnv;
  let port: number;

  const boot = async () => {
    const projection = startService('projection', 'projection', env);
    services = [projection];
    await projection.waitFor(/projection ready/);
    const gateway = startService('gateway', 'gateway', { ...env, PORT: String(port), CHRONICLE_INSTANCE_ID: 'gateway' });
    const executor = startService('executor', 'executor', { ...env, CHRONICLE_INSTANCE_ID: 'executor' });
    const scheduler = startService('scheduler', 'scheduler', env);
    services.push(gateway, executor, scheduler);
    await Promise.all([gateway, executor, scheduler].map((s) => s.waitFor(READY)));
    client = new GatewayClient(`http://127.0.0.1:${port}`, TOKEN);
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_record_distributed');
    port = await freePort();
    env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      CHRONICLE_TOPIC_PREFIX: uniqueTopicPrefix('record'),
      CHRONICLE_TOKENS: `ADMIN=${TOKEN}`,
      CHRONICLE_LOG_LEVEL: 'info',
    };
    await boot();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  executionRecordScenario(() => client, async () => {
    await Promise.all(services.map((s) => s.stop()));
    await boot();
  });
});
