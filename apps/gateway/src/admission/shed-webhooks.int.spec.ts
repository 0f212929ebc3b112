import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InFlightLimit } from '@chronicle/runtime';
import { ExecutionAdmission } from './execution-admission.js';
import { shedWebhooksBeforeExpress } from './shed-webhooks.js';
import type { LiveUpdates } from '../live/live-updates.js';

const HOOK = '/api/v1/executions/webhook/ns.shed/flow/key-123?wait=true';

/** A server whose own handler (Express's place) records what reached it, with the shedding installed ahead of it. */
async function serverWith(admission: ExecutionAdmission): Promise<{ server: Server; port: number; reached: string[] }> {
  const reached: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    reached.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  shedWebhooksBeforeExpress(server, () => admission);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, reached };
}

/** The admission of a gateway with `max` in flight, `taken` of them taken (the live updates are never listened to here). */
function admissionWith(max: number, taken: number): ExecutionAdmission {
  const admission = new ExecutionAdmission(new InFlightLimit({ max, holdMs: 600_000 }), {} as LiveUpdates);
  for (let i = 0; i < taken; i++) admission.take();
  return admission;
}

/** Reads from `socket` until `count` complete HTTP answers (with Content-Length or none) arrived. */
function answers(socket: Socket, count: number): Promise<Array<{ status: number; headers: Record<string, string>; body: string }>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const parsed: Array<{ status: number; headers: Record<string, string>; body: string }> = [];
      let rest = buffer;
      while (rest.includes('\r\n\r\n')) {
        const [head, ...tail] = rest.split('\r\n\r\n');
        const lines = head!.split('\r\n');
        const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? 0);
        const after = tail.join('\r\n\r\n');
        if (after.length < length) break;
        parsed.push({ status: Number(lines[0]!.split(' ')[1]), headers, body: after.slice(0, length) });
        rest = after.slice(length);
      }
      if (parsed.length >= count) resolve(parsed);
    });
  });
}

describe('webhook shedding ahead of Express', () => {
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

  it('below capacity a webhook call, and at capacity any other request, goes on to the application', async () => {
    const free = await serverWith(admissionWith(1, 0));
    server = free.server;
    const hook = await fetch(`http://127.0.0.1:${free.port}${HOOK}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(hook.status).toBe(204);
    expect(free.reached).toEqual([`POST ${HOOK}`]);
    await new Promise((resolve) => free.server.close(resolve));

    const full = await serverWith(admissionWith(1, 1));
    server = full.server;
    const read = await fetch(`http://127.0.0.1:${full.port}/api/v1/executions/search?namespace=ns.shed`);
    expect(read.status).toBe(204);
    const start = await fetch(`http://127.0.0.1:${full.port}/api/v1/executions/ns.shed/flow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    // A REST start is refused by its controller (after its body is parsed), not here.
    expect(start.status).toBe(204);
    expect(full.reached).toEqual(['GET /api/v1/executions/search?namespace=ns.shed', 'POST /api/v1/executions/ns.shed/flow']);
  });
});
