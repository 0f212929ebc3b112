import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, uniqueTopicPrefix, type GatewayClient, type TestDatabase } from '@chronicle/testing';
import { MEASURED_ADMISSION_ENV, measuredAdmissionScenario } from './measured-admission.scenario.js';
import { distributedEnv, startDistributed, type ServiceProcess } from './service-processes.js';

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
    const env = distributedEnv(db.url, topicPrefix, `ADMIN=${TOKEN}`, MEASURED_ADMISSION_ENV);
    client = await startDistributed(services, env, TOKEN, [{ app: 'executor', name: 'executor' }, { app: 'scheduler', name: 'scheduler' }]);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  measuredAdmissionScenario(() => client);
});
