import { afterAll, beforeAll, describe } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, EsdbTestServer, foundationScenario, GatewayClient, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';

const TOKEN = 'e2e-standalone-esdb-admin-token-0123456789';

// Standalone mode with the event log on EventStoreDB's protocol: EVENTSTORE_URL points at the
// in-process gRPC test server of @chronicle/testing (not a real EventStoreDB), driven by the
// official client; read models, checkpoints and the leader lock stay on a real Postgres.
describe('standalone mode on the EventStoreDB adapter (in-process gRPC test server), end to end', () => {
  let esdb: EsdbTestServer;
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;

  beforeAll(async () => {
    esdb = await EsdbTestServer.start();
    db = await createTestDatabase('e2e_standalone_esdb');
    const config = loadConfig({
      PORT: '0',
      DATABASE_URL: db.url,
      EVENTSTORE_URL: esdb.url,
      CHRONICLE_TOKENS: `ADMIN=${TOKEN}`,
      CHRONICLE_LOG_LEVEL: 'warn',
    });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
    await esdb?.stop();
  });

  foundationScenario(() => client);
});
