import { createLogger, loadConfig } from '@chronicle/runtime';
import { createTestDatabase, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformHealthChecks, startHealthServer, startServiceHealth, type HealthServer } from './health-server.js';
import { createPlatform, type Platform } from './platform.js';

let db: TestDatabase;
let platform: Platform;

beforeAll(async () => {
  db = await createTestDatabase('health_server');
  const config = loadConfig({
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    CHRONICLE_TOPIC_PREFIX: uniqueTopicPrefix('health'),
    CHRONICLE_KAFKA_PARTITIONS: '1',
    HOST: '127.0.0.1',
  });
  // healthPort 0: startServiceHealth listens on a free port.
  platform = await createPlatform({ ...config, healthPort: 0 }, db.url, createLogger('health-test', 'silent'));
});
afterAll(async () => {
  await platform?.close();
  await db?.drop();
});

async function get(server: HealthServer, path: string) {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return { status: res.status, body: (await res.json()) as { status?: string; checks?: Record<string, string> } };
}

describe('health server (real Postgres and Kafka)', () => {
  it('is ready when Postgres, the event store and the Kafka brokers answer', async () => {
    const server = await startHealthServer(0, platformHealthChecks(platform), { host: '127.0.0.1' });
    try {
      expect(await get(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await get(server, '/readyz')).toEqual({ status: 200, body: { status: 'ready', checks: { postgres: 'ok', eventStore: 'ok', kafka: 'ok', consumers: 'ok' } } });
      expect((await get(server, '/nothing-here')).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('is not ready while a consumer is not a member of its group (crashed, rebalancing), even with every server answering', async () => {
    const stalled = { ...platform, bus: Object.assign(Object.create(platform.bus) as typeof platform.bus, { problems: () => ['chronicle.workers on chronicle.tasks: rebalancing'] }) };
    const server = await startHealthServer(0, platformHealthChecks(stalled), { host: '127.0.0.1' });
    try {
      const ready = await get(server, '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks?.consumers).toBe('unreachable: chronicle.workers on chronicle.tasks: rebalancing');
    } finally {
      await server.close();
    }
  });

  it('answers 503 naming the check that fails or does not answer, and stays live', async () => {
    const checks = {
      ...platformHealthChecks(platform),
      kafka: () => Promise.reject(new Error('connection refused')),
      eventStore: () => new Promise<never>(() => undefined),
    };
    const server = await startHealthServer(0, checks, { host: '127.0.0.1', timeoutMs: 200 });
    try {
      const ready = await get(server, '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({
        status: 'not ready',
        checks: { postgres: 'ok', kafka: 'unreachable: connection refused', eventStore: 'unreachable: no answer within 200 ms', consumers: 'ok' },
      });
      expect((await get(server, '/healthz')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('is started from HEALTH_PORT only', async () => {
    expect(await startServiceHealth({ ...platform, config: { ...platform.config, healthPort: undefined } }, createLogger('health-test', 'silent'))).toBeUndefined();
    const server = await startServiceHealth(platform, createLogger('health-test', 'silent'));
    try {
      expect(server && (await get(server, '/readyz')).status).toBe(200);
    } finally {
      await server?.close();
    }
  });
});
