import { createServer, connect, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { createTestDatabase, eventually, type TestDatabase } from '@chronicle/testing';
import { ChronicleBadInputError, ChronicleBulkError, ChronicleClient, ChronicleConflictError, ChronicleNotFoundError, type ExecutionStreamEvent } from './index.js';
import { GENERATED_FILE, generateTypes } from '../scripts/codegen.js';

const TOKEN = 'client-sdk-e2e-admin-token-0123456789';
const NS = 'sdk.e2e';

/** A TCP proxy in front of the real server: the test cuts live connections (a dropped network, not a mocked server). */
class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  port = 0;
  constructor(private readonly target: number) {}
  async listen(port = 0): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }
  cut(): void {
    for (const s of this.sockets) s.destroy();
  }
  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

describe('@chronicle/client against a running standalone instance', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: ChronicleClient;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase('client_sdk');
    chronicle = await startStandalone(loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn' }), createLogger('sdk-e2e', 'warn'));
    port = Number(new URL(chronicle.url).port);
    client = new ChronicleClient({ url: chronicle.url, token: TOKEN, retryDelayMs: 50 });
    for (const source of [
      `id: hello\nnamespace: ${NS}\ninputs:\n  - id: who\n    type: STRING\n    defaults: world\ntasks:\n  - id: greet\n    type: Log\n    message: "hello {{ inputs.who }}"\n`,
      `id: slow\nnamespace: ${NS}\ntasks:\n  - id: before\n    type: Log\n    message: before\n  - id: nap\n    type: Sleep\n    duration: PT2S\n  - id: after\n    type: Log\n    message: after\n`,
      `id: gate\nnamespace: ${NS}\ntasks:\n  - id: wait\n    type: Pause\n  - id: after\n    type: Log\n    message: resumed\n`,
    ]) await client.graphql(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: source });
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  it('start, get (read-your-writes), list and startAndWait', async () => {
    const started = await client.start(NS, 'hello', { inputs: { who: 'sdk' }, labels: { team: 'sdk' } });
    expect(started).toMatchObject({ namespace: NS, flowId: 'hello', revision: 0, labels: { team: 'sdk' } });
    const read = await client.get(started.id, { minRevision: started.revision });
    expect(read?.id).toBe(started.id);
    const done = await client.startAndWait(NS, 'hello', { inputs: { who: 'again' }, timeoutMs: 30_000 });
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns.map((t) => t.taskId)).toEqual(['greet']);
    // A list reads the read model, which may lag the log a moment (documented): it shows the execution soon.
    const page = await eventually('the list to show the ended execution', async () => {
      const listed = await client.list({ namespace: NS, flowId: 'hello', first: 10 });
      return listed.edges.some((e) => e.node.id === done.id) ? listed : undefined;
    }, 60_000);
    expect(page.edges.map((e) => e.node.id)).toContain(done.id);
    expect(await client.get('no-such-execution')).toBeNull();
  });

  it('control verbs: pause, resume, kill, restart, replay; a refused command is a typed CONFLICT', async () => {
    const gate = await client.start(NS, 'gate');
    await expect(client.waitForEnd(gate.id, 1)).rejects.toMatchObject({ code: 'TIMEOUT' });
    let paused = await client.get(gate.id);
    for (let i = 0; i < 200 && paused?.state !== 'PAUSED'; i++) paused = (await new Promise((r) => setTimeout(r, 50)), await client.get(gate.id));
    const resumed = await client.resume(gate.id);
    expect(resumed.revision).toBeGreaterThan(paused!.revision);
    expect((await client.waitForEnd(gate.id, 30_000)).state).toBe('SUCCESS');

    const rejected = await client.start(NS, 'gate');
    for (let e = await client.get(rejected.id); e?.state !== 'PAUSED'; e = await client.get(rejected.id)) await new Promise((r) => setTimeout(r, 50));
    await client.resume(rejected.id, { approve: false });
    expect((await client.waitForEnd(rejected.id, 30_000)).state).toBe('FAILED');

    const slow = await client.start(NS, 'slow');
    for (let e = await client.get(slow.id); e?.state !== 'RUNNING'; e = await client.get(slow.id)) await new Promise((r) => setTimeout(r, 50));
    expect((await client.pause(slow.id)).state).toBe('PAUSED');
    await client.kill(slow.id);
    expect((await client.waitForEnd(slow.id, 30_000)).state).toBe('KILLED');
    const error = await client.pause(slow.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChronicleConflictError);
    expect(error).toMatchObject({ code: 'CONFLICT', reason: 'COMMAND_REJECTED', retryable: false });
    expect(['RESTARTED', 'RUNNING']).toContain((await client.restart(slow.id)).state);
    expect((await client.waitForEnd(slow.id, 30_000)).state).toBe('SUCCESS');

    const replayed = await client.replay(slow.id, { fromTaskId: 'after' });
    expect(replayed.originalId).toBe(slow.id);
    expect((await client.waitForEnd(replayed.id, 30_000)).state).toBe('SUCCESS');
  });

  it('bulk verbs by ids and by query; a refused one is a ChronicleBulkError listing why, and nothing is done', async () => {
    const [a, b] = [await client.start(NS, 'gate', { labels: { bulk: 'sdk' } }), await client.start(NS, 'gate', { labels: { bulk: 'sdk' } })];
    const paused = async (id: string) => (await client.get(id))?.state === 'PAUSED';
    await eventually('both paused', async () => (await paused(a.id)) && (await paused(b.id)), 60_000);
    const refused = await client.resumeMany({ ids: [a.id, 'no-such-execution'] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ChronicleBulkError);
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', status: 400, invalids: [{ invalidValue: 'no-such-execution', code: 'NOT_FOUND' }] });
    expect(await client.resumeMany({ ids: [a.id] })).toEqual({ count: 1 });
    expect((await client.waitForEnd(a.id, 30_000)).state).toBe('SUCCESS');
    expect(await client.labelMany({ ids: [a.id] }, { checked: 'yes' })).toEqual({ count: 1 });
    // By query (the read model selects): the paused one of the two.
    await eventually('b listed as paused', async () => (await client.list({ namespace: NS, state: ['PAUSED'], labels: { bulk: 'sdk' } })).totalCount === 1, 60_000);
    expect(await client.killMany({ query: { namespace: NS, flowId: 'gate', state: ['PAUSED'], labels: { bulk: 'sdk' }, timeRange: 'PT1H' } })).toEqual({ count: 1 });
    expect((await client.waitForEnd(b.id, 30_000)).state).toBe('KILLED');
    await expect(client.pauseMany({ query: { namespace: NS, timeRange: 'soon' } })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { parameter: 'timeRange' } });
    expect(await client.restartMany({ ids: [] })).toEqual({ count: 0 });
    expect(await client.replayMany({ ids: [b.id] })).toEqual({ count: 1 });
    await eventually('a projected as labelled', async () => (await client.list({ namespace: NS, labels: { checked: 'yes' } })).totalCount === 1, 60_000);
    expect(await client.deleteMany({ ids: [a.id] })).toEqual({ count: 1 });
    expect(await client.get(a.id)).toBeNull();
  });

  it('the KV store: set with a TTL, get typed, list, delete', async () => {
    await client.kvSet(NS, 'answer', 42);
    await client.kvSet(NS, 'greeting', 'hello', { ttl: 'PT1H' });
    expect(await client.kvGet(NS, 'answer')).toEqual({ type: 'NUMBER', value: 42 });
    expect(await client.kvGet(NS, 'greeting')).toEqual({ type: 'STRING', value: 'hello' });
    expect(await client.kvGet(NS, 'missing')).toBeNull();
    const entries = await client.kvList(NS);
    expect(entries.map((e) => e.key)).toEqual(['answer', 'greeting']);
    expect(entries[1]!.expirationDate).not.toBeNull();
    expect(await client.kvDelete(NS, 'answer')).toBe(true);
    expect(await client.kvDeleteKeys(NS, ['answer', 'greeting'])).toEqual(['greeting']);
    await expect(client.kvSet(NS, 'bad key', 1)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { parameter: 'key' } });
  });

  it('typed errors carry the server\'s code and reason', async () => {
    const anonymous = new ChronicleClient({ url: chronicle.url, token: 'not-a-token-0000000000000000000', retries: 0 });
    await expect(anonymous.get('x')).rejects.toMatchObject({ name: 'ChronicleAccessError', code: 'UNAUTHENTICATED', reason: 'UNAUTHENTICATED' });
    const missing = await client.start(NS, 'no-such-flow').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ChronicleNotFoundError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', reason: 'FLOW_NOT_FOUND' });
    const tooMany = await client.list({ first: 100_000 }).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(ChronicleBadInputError);
    expect(tooMany).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_INVALID' }); // over the query cost limit
  });

  it('streamEvents resumes after a dropped connection from the last event, each event once and in order', async () => {
    const proxy = new CuttableProxy(port);
    await proxy.listen();
    try {
      const viaProxy = new ChronicleClient({ url: `http://127.0.0.1:${proxy.port}`, token: TOKEN, retryDelayMs: 50 });
      const started = await client.start(NS, 'slow');
      const seen: ExecutionStreamEvent[] = [];
      let cuts = 0;
      for await (const event of viaProxy.streamEvents(started.id)) {
        seen.push(event);
        // Drop the connection after the first event and again once the Sleep started.
        if (seen.length === 1 || (event.type === 'TaskRunStarted' && cuts < 2)) {
          cuts++;
          proxy.cut();
        }
      }
      expect(cuts).toBeGreaterThanOrEqual(2);
      expect(seen.map((e) => e.revision)).toEqual(seen.map((_, i) => i));
      const history = await client.graphql<{ executionHistory: { revision: number; type: string }[] }>(`query($id: ID!) { executionHistory(id: $id) { revision type } }`, { id: started.id });
      expect(seen.map((e) => e.type)).toEqual(history.executionHistory.map((e) => e.type));
    } finally {
      await proxy.close();
    }
  });

  it('retries a request while the server is unreachable', async () => {
    const proxy = new CuttableProxy(port);
    await proxy.listen();
    const proxyPort = proxy.port;
    await proxy.close();
    const retrying = new ChronicleClient({ url: `http://127.0.0.1:${proxyPort}`, token: TOKEN, retries: 5, retryDelayMs: 100 });
    const later = new CuttableProxy(port);
    setTimeout(() => void later.listen(proxyPort), 250);
    try {
      expect(await retrying.get('none')).toBeNull();
    } finally {
      await later.close();
    }
    const unreachable = new ChronicleClient({ url: `http://127.0.0.1:${proxyPort}`, retries: 1, retryDelayMs: 10 });
    await expect(unreachable.get('none')).rejects.toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
  });

  it('its generated types are up to date with schema.graphql (npm run codegen -w @chronicle/client)', async () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(await generateTypes());
  });
});
