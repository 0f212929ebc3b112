import { describe, expect, it } from 'vitest';
import { checkSignature, sign, signTimestamped } from './webhook-signature.js';

const SECRET = 's3cret';
const NOW = Date.parse('2026-01-01T00:00:00Z');
const check = (request: Parameters<typeof checkSignature>[1]) => checkSignature(SECRET, request, NOW, 300, 'x-hub-signature-256');

describe('webhook signatures', () => {
  it('accepts a timestamped signature within the tolerance, either side of now, and returns its digest', () => {
    for (const skew of [-299, 0, 299]) {
      const { timestamp, signature } = signTimestamped(SECRET, NOW / 1000 + skew, 'a=1', 'body');
      expect(check({ rawBody: Buffer.from('body'), rawQuery: 'a=1', timestamp, signature })).toEqual({ ok: true, digest: signature.slice('sha256='.length) });
    }
  });

  it('refuses a timestamp outside the tolerance, not a number, or a signature over another query, body or time', () => {
    const body = Buffer.from('body');
    const late = signTimestamped(SECRET, NOW / 1000 - 301, '', body);
    expect(check({ rawBody: body, rawQuery: '', ...late })).toMatchObject({ ok: false, message: expect.stringContaining('outside the tolerance of 300 s') });
    const early = signTimestamped(SECRET, NOW / 1000 + 301, '', body);
    expect(check({ rawBody: body, rawQuery: '', ...early }).ok).toBe(false);
    const good = signTimestamped(SECRET, NOW / 1000, 'a=1', body);
    expect(check({ rawBody: body, rawQuery: '', timestamp: 'yesterday', signature: good.signature })).toMatchObject({ ok: false, message: expect.stringContaining('Unix time in seconds') });
    expect(check({ rawBody: body, rawQuery: 'a=2', ...good }).ok).toBe(false);
    expect(check({ rawBody: Buffer.from('other'), rawQuery: 'a=1', ...good }).ok).toBe(false);
    expect(check({ rawBody: body, rawQuery: 'a=1', timestamp: String(NOW / 1000 + 1), signature: good.signature }).ok).toBe(false);
  });

  it('accepts a body-only signature (bare hex too) with no query but wait, and refuses other query parameters', () => {
    const body = Buffer.from('{"x":1}');
    const signature = sign(SECRET, body);
    expect(check({ rawBody: body, rawQuery: '', signature }).ok).toBe(true);
    expect(check({ rawBody: body, rawQuery: 'wait=true', signature: signature.slice(7) }).ok).toBe(true);
    expect(check({ rawBody: body, rawQuery: 'x=2', signature })).toMatchObject({ ok: false, message: expect.stringContaining('query parameters are not covered') });
    expect(check({ rawBody: body, rawQuery: '', signature: undefined })).toMatchObject({ ok: false, message: expect.stringContaining('x-hub-signature-256') });
    expect(check({ rawBody: body, rawQuery: '', signature: 'sha256=zz' }).ok).toBe(false);
  });
});
