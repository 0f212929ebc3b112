import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, TOKENS, type GatewayHarness } from '../test-support/gateway.harness.js';
import { rawRequest, type RawAnswer } from '@chronicle/testing';
import { EXECUTION_ADMISSION } from '../gateway.tokens.js';
import type { ExecutionAdmission } from './execution-admission.js';

const NS = 'shed.bytes';
const KEY = 'shed-bytes-key-123';
const FLOW = `id: gate
namespace: ${NS}
tasks:
  - { id: hold, type: io.kestra.plugin.core.flow.Pause }
triggers:
  - { id: hook, type: io.kestra.plugin.core.trigger.Webhook, key: ${KEY} }
`;
const START = `/api/v1/executions/${NS}/gate`;
const HOOK = `/api/v1/executions/webhook/${NS}/gate/${KEY}`;

/** A POST with a small JSON body, or (`announced`) with a megabyte announced and not one byte sent: only a refusal before the body answers that. */
const post = (path: string, headers: Record<string, string>, announced = false) => {
  const body = announced ? '' : '{"n":1}';
  const lines = Object.entries({ Host: 'localhost', 'Content-Type': 'application/json', 'Content-Length': announced ? '1000000' : String(body.length), ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
};
/** The answer's bytes but its Date line (the clock's, not the code's). */
const bytes = (answer: RawAnswer) => ({ status: answer.status, headerLines: answer.headerLines.filter((l) => !/^date:/i.test(l)), body: answer.body });

describe('REST and webhook starts refused ahead of Express, in the gateway (CHRONICLE_MAX_IN_FLIGHT=1, one execution holding it)', () => {
  let h: GatewayHarness;
  let admission: ExecutionAdmission;
  let held: string;

  beforeAll(async () => {
    // The loop-delay bound off: a late timer on a busy machine would change the refusal's message between two answers compared.
    h = await startGateway({ env: { CHRONICLE_MAX_IN_FLIGHT: '1', CHRONICLE_IN_FLIGHT_HOLD_MS: '600000', CHRONICLE_ADMISSION_MAX_LOOP_DELAY_MS: '0' } });
    await h.deploy(FLOW);
    // No executor here: the execution stays CREATED and keeps the one slot for the whole file.
    const started = await h.client().rest('POST', START, {});
    expect(started.status).toBe(200);
    held = ((await started.json()) as { id: string }).id;
    admission = h.app.get<symbol, ExecutionAdmission>(EXECUTION_ADMISSION, { strict: false });
    expect(admission.refusal()).toBeDefined();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The refusal of the same request by its controller, through Express: the early path is told there is room (a test seam), the controller's `take` still finds none. */
  async function refusedByController(request: string): Promise<RawAnswer> {
    const { refusal, take } = admission;
    let tried = 0;
    admission.refusal = () => undefined;
    // Counted, to be sure the answer compared came from the controller's own `take`.
    admission.take = function counted(this: ExecutionAdmission) {
      tried++;
      return take.call(this);
    };
    try {
      const answer = await rawRequest(h.url, request);
      expect(tried).toBe(1);
      return answer;
    } finally {
      admission.refusal = refusal;
      admission.take = take;
    }
  }

  it('a REST start\'s early refusal is byte for byte its controller\'s (status, header lines in order, ETag, body), and waits for none of its body', async () => {
    const headers = { Authorization: `Bearer ${TOKENS.OPERATOR}`, 'X-Correlation-Id': 'bytes-rest-1' };
    const late = await refusedByController(post(`${START}?wait=true`, headers));
    const early = await rawRequest(h.url, post(`${START}?wait=true`, headers, true));
    expect(late.status).toBe(429);
    expect(late.headers['retry-after']).toBe('1');
    expect(late.headers['content-security-policy']).toContain("default-src 'self'");
    expect(late.headers.etag).toMatch(/^W\//);
    expect(JSON.parse(late.body)).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'OVERLOADED', details: { retryAfterSeconds: 1 } });
    expect(bytes(early)).toEqual(bytes(late));
  });

  it('a webhook call\'s early refusal is byte for byte its controller\'s too (the webhook Content-Security-Policy)', async () => {
    const headers = { 'X-Correlation-Id': 'bytes-hook-1' };
    const late = await refusedByController(post(`${HOOK}?wait=true`, headers));
    const early = await rawRequest(h.url, post(`${HOOK}?wait=true`, headers, true));
    expect(late.status).toBe(429);
    expect(late.headers['content-security-policy']).toContain('sandbox');
    expect(bytes(early)).toEqual(bytes(late));
  });

  it('at capacity, a start by a caller who may not start is answered 401/403 as before, not 429', async () => {
    expect((await rawRequest(h.url, post(START, {}))).status).toBe(401);
    expect((await rawRequest(h.url, post(START, { Authorization: `Bearer ${TOKENS.VIEWER}` }))).status).toBe(403);
    // Limited to namespace "team": may not start in shed.bytes.
    expect((await rawRequest(h.url, post(START, { Authorization: `Bearer ${TOKENS.TEAM_OPERATOR}` }))).status).toBe(403);
  });

  it('at capacity, control commands, bulk commands and reads under /api/v1/executions are served, not refused', async () => {
    const c = h.client();
    // Each answer is its route's own (a conflict, a count, the execution), never the admission's 429.
    const restart = await c.rest('POST', `/api/v1/executions/${held}/restart`, {});
    expect(restart.status).not.toBe(429);
    expect(((await restart.json()) as { code?: string }).code).not.toBe('TOO_MANY_REQUESTS');
    const labels = await c.rest('POST', '/api/v1/executions/labels/by-ids', { executionsId: [held], executionLabels: [{ key: 'k', value: 'v' }] });
    expect(labels.status).not.toBe(429);
    const read = await c.rest('GET', `/api/v1/executions/${held}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { id: string }).id).toBe(held);
    const search = await c.rest('GET', `/api/v1/executions/search?namespace=${NS}`);
    expect(search.status).toBe(200);
    const { execution } = await c.data<{ execution: { id: string } | null }>('query($id: ID!) { execution(id: $id) { id } }', { id: held });
    expect(execution?.id).toBe(held);
    // And a GraphQL start is still refused, by its resolver.
    const refused = await c.graphql(`mutation { createExecution(namespace: "${NS}", flowId: "gate") { id } }`);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'OVERLOADED', retryAfterSeconds: 1 });
  });
});
