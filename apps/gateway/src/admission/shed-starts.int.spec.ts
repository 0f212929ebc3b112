import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InFlightLimit, renderMetrics } from '@chronicle/runtime';
import { ExecutionAdmission } from './execution-admission.js';
import { shedStartsBeforeExpress } from './shed-starts.js';
import { AccessControl } from '../auth/request-principal.js';
import { TokenRegistry } from '../auth/token-registry.js';
import type { LiveUpdates } from '../live/live-updates.js';
import { rawAnswers as answers } from '@chronicle/testing';

const HOOK = '/api/v1/executions/webhook/ns.shed/flow/key-123?wait=true';
const START = '/api/v1/executions/ns.shed/flow?wait=true';
const OPERATOR = 'operator-token-shed-spec-0001';
const VIEWER = 'viewer-token-shed-spec-00001';
const access = new AccessControl(new TokenRegistry(`OPERATOR=${OPERATOR},VIEWER=${VIEWER}`));

/** A server whose own handler (Express's place) records what reached it, with the shedding installed ahead of it. */
async function serverWith(admission: ExecutionAdmission): Promise<{ server: Server; port: number; reached: string[] }> {
  const reached: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    reached.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  shedStartsBeforeExpress(server, () => ({ admission, access }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, reached };
}

/** The admission of a gateway with `max` in flight, `taken` of them taken (the live updates are never listened to here). */
function admissionWith(max: number, taken: number): ExecutionAdmission {
  const admission = new ExecutionAdmission(new InFlightLimit({ max, holdMs: 600_000 }), {} as LiveUpdates);
  for (let i = 0; i < taken; i++) admission.take();
  return admission;
}

describe('start shedding ahead of Express (webhook calls and REST starts)', () => {
  let server: Server | undefined;
  let socket: Socket | undefined;
  afterEach(async () => {
    socket?.destroy();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('at capacity, a webhook call is refused 429 + Retry-After from its headers alone: its announced body is never awaited, nothing behind runs', async () => {
    const started = await serverWith(admissionWith(1, 1));
    server = started.server;
    socket = connect(started.port, '127.0.0.1');
    const answered = answers(socket, 1);
    // A megabyte announced, not one byte of it sent: a body parser first would wait for ever.
    socket.write(`POST ${HOOK} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\nX-Correlation-Id: mine-1\r\n\r\n`);
    const [refusal] = await answered;
    expect(refusal!.status).toBe(429);
    expect(refusal!.headers['retry-after']).toBe('1');
    expect(refusal!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(refusal!.headers['x-correlation-id']).toBe('mine-1');
    expect(refusal!.headers['content-security-policy']).toContain('sandbox');
    expect(refusal!.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(refusal!.body)).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'OVERLOADED', message: expect.stringContaining('CHRONICLE_MAX_IN_FLIGHT'), details: { retryAfterSeconds: 1 } });
    expect(started.reached).toEqual([]);
  });

  it('the refused call\'s body is discarded and its connection serves the next request', async () => {
    const started = await serverWith(admissionWith(1, 1));
    server = started.server;
    socket = connect(started.port, '127.0.0.1');
    const answered = answers(socket, 2);
    const body = '{"name":"x"}';
    socket.write(`POST ${HOOK} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    socket.write('GET /api/v1/flows HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const [refusal, next] = await answered;
    expect(refusal!.status).toBe(429);
    expect(next!.status).toBe(204);
    expect(started.reached).toEqual(['GET /api/v1/flows']);
  });

  it('with the bound far off, a loop running late past CHRONICLE_ADMISSION_MAX_LOOP_DELAY_MS refuses a webhook call the same way, naming the delay', async () => {
    const loop = { lagMs: 400 };
    const admission = new ExecutionAdmission(new InFlightLimit({ max: 1000, holdMs: 600_000, loopDelay: { maxMs: 150, floor: 1, lagMs: () => loop.lagMs } }), {} as LiveUpdates);
    admission.take();
    const started = await serverWith(admission);
    server = started.server;
    const refused = await fetch(`http://127.0.0.1:${started.port}${HOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'OVERLOADED', message: expect.stringContaining('CHRONICLE_ADMISSION_MAX_LOOP_DELAY_MS') });
    loop.lagMs = 0;
    const admitted = await fetch(`http://127.0.0.1:${started.port}${HOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(admitted.status).toBe(204);
    expect(started.reached).toEqual([`POST ${HOOK}`]);
  });

  it('with the bound far off, a loop busier than CHRONICLE_ADMISSION_MAX_LOOP_UTILISATION refuses a webhook call the same way, naming its utilisation', async () => {
    const loop = { utilisation: 0.97 };
    const admission = new ExecutionAdmission(new InFlightLimit({ max: 1000, holdMs: 600_000, loopUtilisation: { max: 0.9, floor: 1, utilisation: () => loop.utilisation } }), {} as LiveUpdates);
    admission.take();
    const started = await serverWith(admission);
    server = started.server;
    const refused = await fetch(`http://127.0.0.1:${started.port}${HOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'OVERLOADED', message: expect.stringContaining('busy 97 %'), details: { retryAfterSeconds: 1 } });
    loop.utilisation = 0.5;
    const admitted = await fetch(`http://127.0.0.1:${started.port}${HOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(admitted.status).toBe(204);
    expect(started.reached).toEqual([`POST ${HOOK}`]);
  });

  it('a start whose caller has gone by the time it is read (it waited in the accept queue past its timeout) is not started; a read of such a caller, and a start from a caller still there, are', async () => {
    const started = await serverWith(admissionWith(10, 0));
    server = started.server;
    const abandonedBefore = abandonedCount(await renderMetrics());
    // Another process sends each request and closes its side while this one's loop is held (spawnSync),
    // so the connection, its request and its FIN wait in the kernel's accept queue and are read together.
    const sendAndLeave = (method: string, path: string, body = '') =>
      spawnSync(process.execPath, ['-e', `const s=require('net').connect(${started.port},'127.0.0.1',()=>s.end(${JSON.stringify(`${method} ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`)},()=>setTimeout(()=>process.exit(0),50)))`], { timeout: 10_000 });
    expect(sendAndLeave('POST', HOOK, '{}').status).toBe(0);
    expect(sendAndLeave('POST', START, '{}').status).toBe(0);
    expect(sendAndLeave('GET', '/api/v1/flows').status).toBe(0);
    const staying = await fetch(`http://127.0.0.1:${started.port}${HOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(staying.status).toBe(204);
    expect(started.reached).toEqual(['GET /api/v1/flows', `POST ${HOOK}`]);
    expect(abandonedCount(await renderMetrics()) - abandonedBefore).toBe(2);
  });

  it('below capacity a webhook call or REST start, and at capacity any other request, goes on to the application', async () => {
    const free = await serverWith(admissionWith(1, 0));
    server = free.server;
    const hook = await fetch(`http://127.0.0.1:${free.port}${HOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(hook.status).toBe(204);
    const start = await fetch(`http://127.0.0.1:${free.port}${START}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR}` }, body: '{}' });
    expect(start.status).toBe(204);
    expect(free.reached).toEqual([`POST ${HOOK}`, `POST ${START}`]);
    await new Promise((resolve) => free.server.close(resolve));

    const full = await serverWith(admissionWith(1, 1));
    server = full.server;
    const served = [
      ['GET', '/api/v1/executions/search?namespace=ns.shed'],
      ['GET', '/api/v1/executions/ns.shed/flow'],
      // Control commands on one execution and bulk commands: two segments, like a start, and routed ahead of it.
      ['POST', '/api/v1/executions/5f0c9d/restart'],
      ['POST', '/api/v1/executions/5f0c9d/Resume'],
      ['POST', '/api/v1/executions/5f0c9d/replay?revision=2'],
      ['POST', '/api/v1/executions/5f0c9d/rewind'],
      ['POST', '/api/v1/executions/5f0c9d/pause/'],
      ['POST', '/api/v1/executions/restart/by-ids'],
      ['POST', '/api/v1/executions/labels/by-query?namespace=ns.shed'],
      ['POST', '/api/v1/executions/5f0c9d/breakpoint/continue'],
      ['DELETE', '/api/v1/executions/5f0c9d/kill'],
      ['PATCH', '/api/v1/executions/5f0c9d'],
      ['POST', '/graphql'],
      ['POST', '/api/v1/flows'],
    ] as const;
    for (const [method, path] of served) {
      const res = await fetch(`http://127.0.0.1:${full.port}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR}` }, body: method === 'GET' ? undefined : '{}' });
      expect(res.status, `${method} ${path}`).toBe(204);
    }
    expect(full.reached).toEqual(served.map(([method, path]) => `${method} ${path}`));
  });

  it('at capacity, a REST start is refused 429 from its headers alone, with the API\'s security headers; nothing behind runs', async () => {
    const started = await serverWith(admissionWith(1, 1));
    server = started.server;
    socket = connect(started.port, '127.0.0.1');
    const answered = answers(socket, 1);
    socket.write(`POST ${START} HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000\r\nAuthorization: Bearer ${OPERATOR}\r\nX-Correlation-Id: mine-2\r\n\r\n`);
    const [refusal] = await answered;
    expect(refusal!.status).toBe(429);
    expect(refusal!.headers['retry-after']).toBe('1');
    expect(refusal!.headers['x-correlation-id']).toBe('mine-2');
    expect(refusal!.headers['content-security-policy']).toContain("default-src 'self'");
    expect(refusal!.headers['content-security-policy']).not.toContain('sandbox');
    expect(JSON.parse(refusal!.body)).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'OVERLOADED', message: expect.stringContaining('CHRONICLE_MAX_IN_FLIGHT'), details: { retryAfterSeconds: 1 } });
    expect(started.reached).toEqual([]);
  });

  it('at capacity, a REST start without a token, or by a role that may not start, goes on to the application (its 401/403 as before)', async () => {
    const started = await serverWith(admissionWith(1, 1));
    server = started.server;
    const url = `http://127.0.0.1:${started.port}${START}`;
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(204);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${VIEWER}` }, body: '{}' })).status).toBe(204);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' }, body: '{}' })).status).toBe(204);
    expect(started.reached).toEqual([`POST ${START}`, `POST ${START}`, `POST ${START}`]);
  });

  it('counts each refused start once in chronicle_admission_refused_total, and not the REST starts it passes on for their 401/403', async () => {
    const refusedSoFar = async () => Number(/^chronicle_admission_refused_total\{path="gateway",reason="OVERLOADED"\} (\S+)$/m.exec(await renderMetrics())?.[1] ?? 0);
    const before = await refusedSoFar();
    const started = await serverWith(admissionWith(1, 1));
    server = started.server;
    const base = `http://127.0.0.1:${started.port}`;
    expect((await fetch(`${base}${HOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(429);
    expect((await fetch(`${base}${START}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR}` }, body: '{}' })).status).toBe(429);
    expect((await fetch(`${base}${START}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${VIEWER}` }, body: '{}' })).status).toBe(204);
    expect(await refusedSoFar()).toBe(before + 2);
  });
});

function abandonedCount(metrics: string): number {
  return Number(/^chronicle_admission_abandoned_total\{path="gateway"\} (\S+)$/m.exec(metrics)?.[1] ?? 0);
}
