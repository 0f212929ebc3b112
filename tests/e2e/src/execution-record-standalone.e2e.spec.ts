import { afterAll, beforeAll, describe } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, GatewayClient, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { executionRecordScenario } from './execution-record.scenario.js';

const TOKEN = 'e2e-record-standalone-admin-token-0123';

// Cloudomation's execution record (issue 15) in standalone mode; `restart` stops the one process
// and starts it again on the same database.
describe('execution record (run options, steering, tree) in standalone mode, end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;
  const boot = async () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_record_standalone');
    await boot();
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  executionRecordScenario(() => client, async () => {
    await chronicle.close();
    await boot();
  });
});
