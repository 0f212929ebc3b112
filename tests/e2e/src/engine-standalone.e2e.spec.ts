import { afterAll, beforeAll, describe, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, GatewayClient, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { coreFlowTasksScenario } from './core-flow-tasks.scenario.js';
import { forEachItemScenario } from './for-each-item.scenario.js';
import { engineScenario, sleepAcrossRestart } from './engine.scenario.js';
import { flowPropertiesScenario } from './flow-properties.scenario.js';

const TOKEN = 'e2e-engine-standalone-admin-token-0123';

// The execution engine in standalone mode: the four services in this process, in-process bus.
describe('execution engine in standalone mode, end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;
  const boot = async () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn', CHRONICLE_LEASE_TIMEOUT_MS: '6000' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_engine_standalone');
    await boot();
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  flowPropertiesScenario(() => client);
  engineScenario(() => client);
  coreFlowTasksScenario(() => client);
  forEachItemScenario(() => client);

  it('a Sleep of 5 s survives a restart of the whole process (its timer is durable)', async () => {
    await sleepAcrossRestart(() => client, async () => {
      await chronicle.close();
      await boot();
    });
  });
});
