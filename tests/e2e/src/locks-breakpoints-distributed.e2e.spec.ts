import { afterAll, beforeAll, describe } from 'vitest';
import { freePort } from '@chronicle/dev-infra';
import { createTestDatabase, GatewayClient, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { startService, type ServiceProcess } from './service-processes.js';
import { locksAndBreakpointsScenario } from './locks-breakpoints.scenario.js';

const TOKEN = 'e2e-locks-distributed-admin-token-01';
const READY = /(executor|scheduler|projection) ready|gateway listening/;
type App = 'gateway' | 'executor' | 'scheduler' | 'projection';

// Named locks and breakpoints (issue 15, items 4 and 6) in distributed mode: each service its
// own OS process over the real Kafka and Postgres, two executors sharing the commands (the lock
// table is shared by both); `restart` stops every service and starts them again.
describe('named locks and breakpoints in distributed mode, end to end', () => {
  let db: TestDatabase;
  let services: ServiceProcess[] = [];
  let client: GatewayClient;
  let env: NodeJS.ProcessEnv;
  let port: number;

  const boot = async () => {
    const projection = startService('projection', 'projection', env);
    await projection.waitFor(/projection ready/);
    const others: [App, string, NodeJS.ProcessEnv][] = [
      ['gateway', 'gateway', { ...env, PORT: String(port), CHRONICLE_INSTANCE_ID: 'gateway' }],
      ['executor', 'executor-1', { ...env, CHRONICLE_INSTANCE_ID: 'executor-1' }],
      ['executor', 'executor-2', { ...env, CHRONICLE_INSTANCE_ID: 'executor-2' }],
      ['scheduler', 'scheduler', env],
    ];
    const started = others.map(([app, name, e]) => startService(app, name, e));
    services = [projection, ...started];
    await Promise.all(started.map((s) => s.waitFor(READY)));
    client = new GatewayClient(`http://127.0.0.1:${port}`, TOKEN);
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_locks_distributed');
    port = await freePort();
    env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      CHRONICLE_TOPIC_PREFIX: uniqueTopicPrefix('locks'),
      CHRONICLE_TOKENS: `ADMIN=${TOKEN}`,
      CHRONICLE_LOG_LEVEL: 'info',
    };
    await boot();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  locksAndBreakpointsScenario(() => client, async () => {
    await Promise.all(services.map((s) => s.stop()));
    await boot();
  });
});
