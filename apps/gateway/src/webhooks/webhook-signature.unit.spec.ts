import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSignature, sign, signTimestamped, timestampedPayload, webhookPath } from './webhook-signature.js';

const SECRET = 's3cret';
const NOW = Date.parse('2026-01-01T00:00:00Z');
const PATH = webhookPath('ns', 'flow', 'key-1');
const target = (rawQuery: string, method = 'POST', path = PATH) => ({ method, path, rawQuery });
const check = (request: Parameters<typeof checkSignature>[1]) => checkSignature(SECRET, request, NOW, 300, 'x-hub-signature-256');

describe('webhook signatures', () => {
  it('accepts a timestamped signature within the tolerance, either side of now, and returns its digest', () => {
    for (const skew of [-299, 0, 299]) {
      const { timestamp, signature } = signTimestamped(SECRET, NOW / 1000 + skew, target('a=1'), 'body');
      expect(check({ ...target('a=1'), rawBody: Buffer.from('body'), timestamp, signature })).toEqual({ ok: true, digest: signature.slice('sha256='.length) });
    }
  });

  it('signs the documented string: scheme, method, path, query, timestamp and body, one per line, body last', () => {
    const payload = timestampedPayload(target('a=1&b=2', 'post'), '1767225600', 'line one\nline two')!;
    expect(payload.toString()).toBe('chronicle-webhook-v1\nPOST\n/api/v1/executions/webhook/ns/flow/key-1\na=1&b=2\n1767225600\nline one\nline two');
    // What a sender computes by hand from the README matches.
    const byHand = createHmac('sha256', SECRET).update(payload).digest('hex');
    expect(signTimestamped(SECRET, 1767225600, target('a=1&b=2'), 'line one\nline two').signature).toBe(`sha256=${byHand}`);
  });

  it('refuses a timestamp outside the tolerance, not a number, or a signature over another query, body, time, method or webhook', () => {
    const body = Buffer.from('body');
    const late = signTimestamped(SECRET, NOW / 1000 - 301, target(''), body);
    expect(check({ ...target(''), rawBody: body, ...late })).toMatchObject({ ok: false, message: expect.stringContaining('outside the tolerance of 300 s') });
    const early = signTimestamped(SECRET, NOW / 1000 + 301, target(''), body);
    expect(check({ ...target(''), rawBody: body, ...early }).ok).toBe(false);
    const good = signTimestamped(SECRET, NOW / 1000, target('a=1'), body);
    expect(check({ ...target('a=1'), rawBody: body, timestamp: 'yesterday', signature: good.signature })).toMatchObject({ ok: false, message: expect.stringContaining('Unix time in seconds') });
    expect(check({ ...target('a=2'), rawBody: body, ...good }).ok).toBe(false);
    expect(check({ ...target('a=1'), rawBody: Buffer.from('other'), ...good }).ok).toBe(false);
    expect(check({ ...target('a=1'), rawBody: body, timestamp: String(NOW / 1000 + 1), signature: good.signature }).ok).toBe(false);
    expect(check({ ...target('a=1', 'PUT'), rawBody: body, ...good }).ok).toBe(false);
    expect(check({ ...target('a=1', 'POST', webhookPath('ns', 'other-flow', 'key-1')), rawBody: body, ...good }).ok).toBe(false);
    expect(check({ ...target('a=1', 'POST', webhookPath('other', 'flow', 'key-1')), rawBody: body, ...good }).ok).toBe(false);
  });

  it('never lets a part of the query move into the body (the old `<ts>.<query>.<body>` string was ambiguous)', () => {
    // Old scheme: "t.a=1..x" was both (query "a=1.", body "x") and (query "a=1", body ".x").
    const signed = signTimestamped(SECRET, NOW / 1000, target('a=1.'), 'x');
    expect(check({ ...target('a=1.'), rawBody: Buffer.from('x'), ...signed }).ok).toBe(true);
    expect(check({ ...target('a=1'), rawBody: Buffer.from('.x'), ...signed }).ok).toBe(false);
    // Nor across the line breaks of the new one: a query holding one is refused, not signed.
    expect(timestampedPayload(target('a=1\nb'), '1', 'x')).toBeUndefined();
    expect(check({ ...target('a=1\n2'), rawBody: Buffer.from('x'), timestamp: String(NOW / 1000), signature: signed.signature })).toMatchObject({ ok: false, message: expect.stringContaining('line break') });
  });

  it('accepts a body-only signature (bare hex too) with no query but wait, and refuses other query parameters', () => {
    const body = Buffer.from('{"x":1}');
    const signature = sign(SECRET, body);
    expect(check({ ...target(''), rawBody: body, signature }).ok).toBe(true);
    expect(check({ ...target('wait=true'), rawBody: body, signature: signature.slice(7) }).ok).toBe(true);
    expect(check({ ...target('x=2'), rawBody: body, signature })).toMatchObject({ ok: false, message: expect.stringContaining('query parameters are not covered') });
    expect(check({ ...target(''), rawBody: body, signature: undefined })).toMatchObject({ ok: false, message: expect.stringContaining('x-hub-signature-256') });
    expect(check({ ...target(''), rawBody: body, signature: 'sha256=zz' }).ok).toBe(false);
  });
});
