import { afterAll, beforeAll, describe } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, GatewayClient, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { locksAndBreakpointsScenario } from './locks-breakpoints.scenario.js';

const TOKEN = 'e2e-locks-standalone-admin-token-0123';

// Named locks and breakpoints (issue 15, items 4 and 6) in standalone mode; `restart` stops the
// one process and starts it again on the same database.
describe('named locks and breakpoints in standalone mode, end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;
  const boot = async () => {
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_locks_standalone');
    await boot();
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  locksAndBreakpointsScenario(() => client, async () => {
    await chronicle.close();
    await boot();
  });
});
