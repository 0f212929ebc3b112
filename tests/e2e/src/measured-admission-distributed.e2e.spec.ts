import { afterAll, beforeAll, describe } from 'vitest';
import { freePort } from '@chronicle/dev-infra';
import { createTestDatabase, GatewayClient, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { MEASURED_ADMISSION_ENV, measuredAdmissionScenario } from './measured-admission.scenario.js';
import { startService, type ServiceProcess } from './service-processes.js';

const TOKEN = 'e2e-measured-admission-distributed-token-0123456789';

// The gateway measures the queueing delay from the updates topic: its starts go through Kafka,
// the executor and the projection before it sees them taken up.
describe('admission sized from measurements in distributed mode, end to end', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];
  let client: GatewayClient;
  const topicPrefix = uniqueTopicPrefix('dmad');

  beforeAll(async () => {
    db = await createTestDatabase('e2e_dist_measured_admission');
    const port = await freePort();
    const env = { DATABASE_URL: db.url, KAFKA_BROKERS: testKafkaBrokers().join(','), CHRONICLE_TOPIC_PREFIX: topicPrefix, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'info', ...MEASURED_ADMISSION_ENV };
    const projection = startService('projection', 'projection', env);
    services.push(projection);
    await projection.waitFor(/projection ready/);
    services.push(startService('executor', 'executor', env));
    services.push(startService('scheduler', 'scheduler', env));
    services.push(startService('gateway', 'gateway', { ...env, PORT: String(port) }));
    await Promise.all(services.map((s) => s.waitFor(/(executor|scheduler|projection) ready|gateway listening/)));
    client = new GatewayClient(`http://127.0.0.1:${port}`, TOKEN);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  measuredAdmissionScenario(() => client);
});
