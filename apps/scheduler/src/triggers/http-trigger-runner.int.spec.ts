import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toEventData } from '@chronicle/contracts';
import { executionStreamId, httpPollKey, type HttpTrigger, type JsonObject } from '@chronicle/domain';
import { ANY } from '@chronicle/event-store';
import { PostgresEventStore } from '@chronicle/event-store/postgres';
import { createLogger, systemClock } from '@chronicle/runtime';
import { InMemoryCheckpointStore, TriggerStateStore } from '@chronicle/stores';
import { TASK_CATALOG } from '@chronicle/tasks';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import { deployFlow, ExecutionRepository, executionIdFor, FlowRepository, FlowTriggersIndex } from '@chronicle/use-cases';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FlowTriggerListener } from './flow-trigger-listener.js';
import { HttpTriggerRunner } from './http-trigger-runner.js';

/**
 * The HTTP polling trigger against a real HTTP server on 127.0.0.1 and the real Postgres: the
 * event store the executions are created in and the trigger state table (enabled, last start).
 */
const logger = createLogger('http-trigger-test', 'silent');
const cleanup: Array<() => Promise<void>> = [];
let db: TestDatabase;
let pool: pg.Pool;
let store: PostgresEventStore;
let states: TriggerStateStore;
let flows: FlowRepository;
let executions: ExecutionRepository;

/** What the server answers, and every request it got. */
const answer = { status: 200, body: '{"price": 99}', contentType: 'application/json' };
const received: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];
let server: Server;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase('http_trigger');
  pool = new pg.Pool({ connectionString: db.url, max: 6 });
  store = new PostgresEventStore({ pool });
  await store.ensureSchema();
  states = new TriggerStateStore(pool);
  await states.ensureSchema();
  flows = new FlowRepository(store, TASK_CATALOG);
  executions = new ExecutionRepository(store);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(answer.status, { 'content-type': answer.contentType, 'x-stock': 'low' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
  received.length = 0;
  Object.assign(answer, { status: 200, body: '{"price": 99}', contentType: 'application/json' });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  await pool.end();
  await db.drop();
});

const deps = () => ({ store, flows, executions, clock: systemClock });
let flowCount = 0;

/** Deploys a flow with one HTTP trigger (`extra` lines under it) polling the test server every second. */
async function deployHttpFlow(extra: string): Promise<{ index: FlowTriggersIndex; flowId: string; trigger: HttpTrigger }> {
  const flowId = `poll-${++flowCount}`;
  const source = `id: ${flowId}
namespace: company.team
tasks:
  - { id: log, type: io.kestra.plugin.core.log.Log, message: "{{ trigger.body }}" }
triggers:
  - id: http
    type: io.kestra.plugin.core.http.Trigger
    uri: "${base}/{{ flow.id }}"
    interval: PT1S
${extra}`;
  const deployed = await deployFlow(deps(), source);
  const index = new FlowTriggersIndex();
  index.deployed(deployed.definition);
  const trigger = index.find('company.team', flowId)!.triggers[0] as HttpTrigger;
  return { index, flowId, trigger };
}

function startRunner(index: FlowTriggersIndex, installation = {}): HttpTriggerRunner {
  const runner = new HttpTriggerRunner(index, states, deps(), systemClock, logger, installation);
  cleanup.push(() => runner.stop());
  runner.wake();
  return runner;
}

/** The executions the trigger started, from the event store (streams of its flow). */
async function startedBy(flowId: string): Promise<Array<{ id: string; trigger: JsonObject }>> {
  const rows = await pool.query<{ stream_id: string; data: { flowId: string; trigger: JsonObject } }>(
    "SELECT stream_id, data FROM events WHERE stream_id LIKE 'execution-%' AND type = 'ExecutionCreated' AND data->>'flowId' = $1 ORDER BY position", [flowId]);
  return rows.rows.map((r) => ({ id: r.stream_id.slice('execution-'.length), trigger: r.data.trigger }));
}

/** What the executor would write for a flow that ran and succeeded (the transitions the evolver accepts). */
const endExecution = (id: string) => {
  const at = new Date().toISOString();
  return store.append(executionStreamId(id), toEventData([{ type: 'ExecutionStarted', data: { at } }, { type: 'ExecutionSucceeded', data: { at } }]), ANY);
};
const requestsTo = (flowId: string) => received.filter((r) => r.url === `/${flowId}`).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Just after a second's start, so that runners started now first see the same one-second slot. */
const atSlotStart = () => sleep(1_050 - (Date.now() % 1_000));

describe('HttpTriggerRunner (a real HTTP server, real Postgres)', () => {
  it('starts one execution when the condition holds, with trigger.uri/code/headers/body; polls nothing while it runs; polls again once it ended', async () => {
    const { index, flowId, trigger } = await deployHttpFlow(`    responseCondition: "{{ json(response.body).price <= 110 and response.headers['x-stock'][0] == 'low' }}"
    method: POST
    body: "{\\"token\\": \\"{{ secret('API') }}\\", \\"region\\": \\"{{ envs.region }}\\"}"`);
    startRunner(index, { envs: { region: 'eu' }, secrets: { get: (_ns: string, key: string) => `secret-of-${key}` } });

    await vi.waitFor(async () => expect(await startedBy(flowId)).toHaveLength(1), { timeout: 8_000 });
    const [first] = await startedBy(flowId);
    expect(first!.trigger).toMatchObject({ id: 'http', type: 'io.kestra.plugin.core.http.Trigger', uri: `${base}/${flowId}`, code: 200, body: '{"price": 99}', headers: { 'x-stock': ['low'] } });
    // The request was rendered with the flow, envs and secret().
    expect(received.find((r) => r.url === `/${flowId}`)).toMatchObject({ method: 'POST', body: '{"token": "secret-of-API", "region": "eu"}' });
    // Idempotent per slot: the id derives from the trigger and the poll slot (lastFired).
    const lastFired = (await states.get({ namespace: 'company.team', flowId, triggerId: 'http' }))!.lastFired!;
    expect(first!.id).toBe(executionIdFor('company.team', flowId, httpPollKey(trigger, lastFired.getTime())));

    // The execution has not ended: three more slots pass without a request, let alone a start.
    const polled = requestsTo(flowId);
    await sleep(3_200);
    expect(requestsTo(flowId)).toBe(polled);
    expect(await startedBy(flowId)).toHaveLength(1);

    // Its end, found by the next poll (the stream read again since the revision it had; the listener's
    // notice, executionEnded, only spares that read).
    await endExecution(first!.id);
    await vi.waitFor(async () => expect(await startedBy(flowId)).toHaveLength(2), { timeout: 8_000 });
  });

  it('starts nothing when responseCondition does not hold (a failed status is an answer, judged by the default condition)', async () => {
    answer.status = 503;
    const { index, flowId } = await deployHttpFlow('');
    startRunner(index);
    await vi.waitFor(() => expect(requestsTo(flowId)).toBeGreaterThanOrEqual(2), { timeout: 8_000 });
    expect(await startedBy(flowId)).toEqual([]);
    expect((await states.get({ namespace: 'company.team', flowId, triggerId: 'http' }))?.lastFired).toBeUndefined();
  });

  it('stopAfter: the execution ends in a listed state, the flow-trigger listener disables the trigger, and no request follows', async () => {
    const { index, flowId } = await deployHttpFlow('    stopAfter: [SUCCESS]');
    const listener = new FlowTriggerListener(store, index, states, new InMemoryCheckpointStore(), deps(), logger);
    // As the flow-stream follower tells it in the scheduler: the index (deployed above) wants state changes from here.
    listener.indexChanged((await store.headPosition()) ?? 0n);
    await listener.start();
    cleanup.push(() => listener.stop());
    const runner = startRunner(index);
    await vi.waitFor(async () => expect(await startedBy(flowId)).toHaveLength(1), { timeout: 8_000 });
    const [first] = await startedBy(flowId);
    await endExecution(first!.id);
    runner.executionEnded(first!.id);
    await vi.waitFor(async () => expect((await states.get({ namespace: 'company.team', flowId, triggerId: 'http' }))?.enabled).toBe(false), { timeout: 8_000 });
    const polled = requestsTo(flowId);
    await sleep(2_500);
    expect(requestsTo(flowId)).toBe(polled);
    expect(await startedBy(flowId)).toHaveLength(1);
  });

  it('a trigger disabled at run time, or in the flow, polls nothing', async () => {
    const atRunTime = await deployHttpFlow('');
    await states.setEnabled({ namespace: 'company.team', flowId: atRunTime.flowId, triggerId: 'http' }, false);
    startRunner(atRunTime.index);
    const inFlow = await deployHttpFlow('    disabled: true');
    startRunner(inFlow.index);
    await sleep(2_500);
    expect(requestsTo(atRunTime.flowId)).toBe(0);
    expect(requestsTo(inFlow.flowId)).toBe(0);
  });

  it('a poll that fails is logged without the secrets its request read, starts nothing, and the next slot polls again', async () => {
    const { index, flowId } = await deployHttpFlow('');
    // The flow's uri, made unreachable (port 1) and carrying a secret in its path.
    const declared = index.find('company.team', flowId)!;
    const trigger = declared.triggers[0] as HttpTrigger;
    index.deployed({ ...declared.flow, triggers: [{ id: 'http', type: trigger.typeName, uri: "http://127.0.0.1:1/{{ secret('API') }}", interval: 'PT1S' }] });
    const warn = vi.spyOn(logger, 'warn');
    cleanup.push(async () => warn.mockRestore());
    startRunner(index, { secrets: { get: () => 'tok-3141' } });
    await vi.waitFor(() => expect(warn.mock.calls.filter(([, msg]) => msg === 'http trigger poll failed').length).toBeGreaterThanOrEqual(2), { timeout: 8_000 });
    const failure = warn.mock.calls.find(([, msg]) => msg === 'http trigger poll failed')![0] as { error: string; trigger: string };
    expect(failure.trigger).toBe('http');
    expect(failure.error).toContain('127.0.0.1:1/******');
    expect(JSON.stringify(warn.mock.calls)).not.toContain('tok-3141');
    expect(await startedBy(flowId)).toEqual([]);
  });

  it('two schedulers polling the same slot start one execution', async () => {
    const { index, flowId } = await deployHttpFlow('');
    await atSlotStart();
    startRunner(index);
    startRunner(index);
    await vi.waitFor(() => expect(requestsTo(flowId)).toBeGreaterThanOrEqual(2), { timeout: 8_000 });
    await sleep(300);
    expect(await startedBy(flowId)).toHaveLength(1);
  });
});
