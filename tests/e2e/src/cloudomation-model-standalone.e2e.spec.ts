import { afterAll, beforeAll, describe } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, GatewayClient, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { rewindScenario } from './rewind.scenario.js';
import { webhookRunOptionsScenario } from './webhook-run-options.scenario.js';
import { wrappersScenario } from './wrappers.scenario.js';

const TOKEN = 'e2e-model-standalone-admin-token-0123';
const OPERATOR = 'e2e-model-standalone-operator-token-01';

// Cloudomation's execution model (issue 15: rewind, wrappers) in standalone mode.
describe('savepoints and rewind, wrappers, webhook run options in standalone mode, end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_model_standalone');
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN},OPERATOR=${OPERATOR}`, CHRONICLE_LOG_LEVEL: 'warn' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  rewindScenario(() => client, OPERATOR);
  webhookRunOptionsScenario(() => client);
  wrappersScenario(() => client);
});
