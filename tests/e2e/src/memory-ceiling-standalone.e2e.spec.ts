import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, GatewayClient, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';

const TOKEN = 'e2e-memory-ceiling-admin-token-0123';
const NS = 'memory.ceiling.e2e';
const FLOW = `id: hello
namespace: ${NS}
tasks:
  - { id: say, type: io.kestra.plugin.core.log.Log, message: hello }
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: memory-ceiling-key-123
`;

// CHRONICLE_MAX_RSS_MB=1: this process is always past it, so every start meets the ceiling
// (that memory falling lets starts in again is InFlightLimit's unit test: RSS cannot be lowered here).
describe('the memory ceiling (CHRONICLE_MAX_RSS_MB) in standalone mode, end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_memory_ceiling');
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn', CHRONICLE_MAX_RSS_MB: '1' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  it('refuses REST, webhook and GraphQL starts at once with 503 + Retry-After naming the setting, and keeps serving reads and deploys', async () => {
    // Deploying is not a start: it is served past the ceiling.
    await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: FLOW });

    const rest = await client.rest('POST', `/api/v1/executions/${NS}/hello`, {});
    expect(rest.status).toBe(503);
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await rest.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'MEMORY_CEILING', message: expect.stringContaining('CHRONICLE_MAX_RSS_MB'), details: { retryAfterSeconds: 1 } });

    const hook = await fetch(`${client.url}/api/v1/executions/webhook/${NS}/hello/memory-ceiling-key-123?wait=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(hook.status).toBe(503);
    expect(Number(hook.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await hook.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'MEMORY_CEILING' });

    const graphql = await client.graphql(`mutation { createExecution(namespace:"${NS}", flowId:"hello"){ id } }`);
    expect(graphql.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'MEMORY_CEILING', retryAfterSeconds: 1 });

    // Reads are not admission-controlled: the flow (written before the refusals) is listed, the health answers.
    const flows = await client.rest('GET', `/api/v1/flows/search?namespace=${NS}`);
    expect(flows.status).toBe(200);
    expect((await fetch(`${client.url}/healthz`)).status).toBe(200);
  });
});
