import { describe, expect, it } from 'vitest';
import { gatewayForFile } from '../test-support/gateway.harness.js';
import { sign, signTimestamped, webhookPath, WEBHOOK_TIMESTAMP_HEADER } from './webhook-signature.js';

const PATH = webhookPath('hooks.signed', 'signed', 'signed-key-456');

const SECRET = 'webhook-hmac-secret';
const FLOW = `id: signed
namespace: hooks.signed
tasks:
  - id: log
    type: Log
    message: "{{ trigger.body }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: signed-key-456
    secret: ${SECRET}
`;

const gateway = gatewayForFile(FLOW);

const hook = (query: string, init: RequestInit) => fetch(`${gateway().url}/api/v1/executions/webhook/hooks.signed/signed/signed-key-456${query ? `?${query}` : ''}`, init);
const idOf = async (res: Response) => {
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { id: string }).id;
};
const now = () => Math.floor(Date.now() / 1000);
const executionCount = async () => (await gateway().executionIds('hooks.signed', 'signed')).length;

describe('Webhook signatures', () => {
  it('a timestamped signature covers the query and the body; the same signed request again is the same execution', async () => {
    const before = await executionCount();
    const body = JSON.stringify({ who: 'stamped' });
    const { timestamp, signature } = signTimestamped(SECRET, now(), { method: 'POST', path: PATH, rawQuery: 'who=query&n=1' }, body);
    const send = (query: string, extra: Record<string, string> = {}) =>
      hook(query, { method: 'POST', headers: { 'content-type': 'application/json', [WEBHOOK_TIMESTAMP_HEADER]: timestamp, 'x-hub-signature-256': signature, ...extra }, body });

    const first = await idOf(await send('who=query&n=1'));
    // A replay, even with another (unsigned) Idempotency-Key, starts nothing new.
    expect(await idOf(await send('who=query&n=1'))).toBe(first);
    expect(await idOf(await send('who=query&n=1', { 'idempotency-key': 'something-else' }))).toBe(first);
    expect(await executionCount()).toBe(before + 1);

    const tampered = await send('who=attacker&n=1');
    expect(tampered.status).toBe(401);
    expect(await executionCount()).toBe(before + 1);
  });

  it('refuses a correctly signed request whose timestamp is outside the tolerance, naming the setting', async () => {
    const body = '{"who":"late"}';
    const { timestamp, signature } = signTimestamped(SECRET, now() - 600, { method: 'POST', path: PATH, rawQuery: '' }, body);
    const res = await hook('', { method: 'POST', headers: { 'content-type': 'application/json', [WEBHOOK_TIMESTAMP_HEADER]: timestamp, 'x-hub-signature-256': signature }, body });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toContain('CHRONICLE_WEBHOOK_SIGNATURE_TOLERANCE_SECONDS');
  });

  it('keeps GitHub-style body-only signatures: a replay is the same execution, and query parameters are refused as unsigned', async () => {
    const before = await executionCount();
    const body = JSON.stringify({ who: 'github', delivery: 1 });
    const send = (query = '') => hook(query, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(SECRET, body) }, body });
    const first = await idOf(await send());
    expect(await idOf(await send())).toBe(first);
    expect(await idOf(await send('wait=false'))).toBe(first);
    const withQuery = await send('who=injected');
    expect(withQuery.status).toBe(401);
    expect(((await withQuery.json()) as { message: string }).message).toContain('query parameters are not covered');
    expect(await executionCount()).toBe(before + 1);
  });

  it('checks an application/octet-stream body against its bytes, not an empty body', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13]);
    const send = (signature: string) => hook('', { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-hub-signature-256': signature }, body: bytes });
    expect((await send(sign(SECRET, Buffer.alloc(0)))).status).toBe(401);
    await idOf(await send(sign(SECRET, bytes)));
    const { timestamp, signature } = signTimestamped(SECRET, now(), { method: 'PUT', path: PATH, rawQuery: '' }, bytes);
    const stamped = await hook('', { method: 'PUT', headers: { 'content-type': 'application/x-custom', [WEBHOOK_TIMESTAMP_HEADER]: timestamp, 'x-hub-signature-256': signature }, body: bytes });
    await idOf(stamped);
  });
});
