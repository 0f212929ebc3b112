import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { freePort } from '@chronicle/dev-infra';
import { createTestDatabase, eventually, GatewayClient, type TestDatabase } from '@chronicle/testing';

/**
 * A Postgres outage (issue 18): the services wait and retry instead of exiting, webhooks answer
 * 503 with Retry-After (not "Flow not found"), and work goes on once Postgres is back. The
 * outage is a TCP proxy between this instance and the shared test Postgres that stops and
 * starts again, so nothing else loses its database.
 */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(readonly port: number, private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(this.port, '127.0.0.1', resolve));
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

describe('a Postgres outage (standalone)', () => {
  let db: TestDatabase;
  let proxy: CuttableProxy;
  let chronicle: RunningStandalone;
  let admin: GatewayClient;

  beforeAll(async () => {
    db = await createTestDatabase('pg_outage');
    const direct = new URL(db.url);
    proxy = new CuttableProxy(await freePort(), { host: direct.hostname, port: Number(direct.port) });
    await proxy.open();
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    chronicle = await startStandalone(
      loadConfig({ PORT: '0', DATABASE_URL: viaProxy.toString(), CHRONICLE_TOKENS: 'ADMIN=outage-admin-token-000000001', CHRONICLE_LOG_LEVEL: 'silent' }),
      createLogger('pg-outage', 'silent'),
    );
    admin = new GatewayClient(chronicle.url, 'outage-admin-token-000000001');
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: 'id: hooked\nnamespace: outage\ntasks:\n  - id: a\n    type: Log\n    message: hi\ntriggers:\n  - id: hook\n    type: Webhook\n    key: outage-webhook-key-0123\n',
    });
  });

  afterAll(async () => {
    await proxy?.open().catch(() => undefined);
    await chronicle?.close();
    await proxy?.cut();
    await db?.drop();
  });

  const hook = () => fetch(`${chronicle.url}/api/v1/executions/webhook/outage/hooked/outage-webhook-key-0123`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

  it('answers webhooks 503 with Retry-After while Postgres is away, and runs them once it is back', async () => {
    const before = await hook();
    expect(before.status, await before.text()).toBe(200);
    await proxy.cut();
    // Connections in the pool notice the cut on their next query: every answer from then on says "retry".
    const during = await eventually('a 503 during the outage', async () => {
      const res = await hook();
      const body = await res.text();
      return res.status === 503 ? { res, body } : undefined;
    }, 60_000);
    expect(Number(during.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(during.body).not.toContain('Flow not found');
    expect((await fetch(`${chronicle.url}/readyz`)).status).toBe(503);

    await proxy.open();
    // The same process (nothing exited) takes webhooks again, and their executions run to the end.
    const id = await eventually('a webhook accepted after the outage', async () => {
      const res = await hook();
      return res.status === 200 ? ((await res.json()) as { id: string }).id : undefined;
    }, 60_000);
    await eventually('the execution to succeed', async () => (await admin.data(`query($id: ID!) { execution(id: $id) { state } }`, { id })).execution?.state === 'SUCCESS', 60_000);
    await eventually('ready again', async () => (await fetch(`${chronicle.url}/readyz`)).status === 200, 60_000);
  }, 240_000);
});
