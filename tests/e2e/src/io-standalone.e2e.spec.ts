import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, GatewayClient, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { ioFunctionsScenario } from './io-functions.scenario.js';
import { ioTasksScenario } from './io-tasks.scenario.js';

const TOKEN = 'e2e-io-standalone-admin-token-012345';
const SECRET_E2E_TOKEN = Buffer.from('t0ps3cret').toString('base64'); // read by secret('E2E_TOKEN') (Kestra's SECRET_<KEY>, base64)

// Standalone: one process, in-process bus; the internal storage is the folder CHRONICLE_DATA_DIR/storage.
describe('internal storage and KV in standalone mode, end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;
  let dataDir: string;

  beforeAll(async () => {
    process.env.SECRET_E2E_TOKEN = SECRET_E2E_TOKEN; // standalone workers run in this process
    db = await createTestDatabase('e2e_io_standalone');
    dataDir = await mkdtemp(join(tmpdir(), 'chronicle-e2e-io-'));
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_DATA_DIR: dataDir, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  ioTasksScenario(() => client);
  ioFunctionsScenario(() => client);

  it('keeps the files in the data folder, in Kestra\'s layout', async () => {
    expect(await readdir(join(dataDir, 'storage', 'e2e', 'io', 'files', 'executions'))).toHaveLength(1);
  });
});
