import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * GitHub-style HMAC-SHA256 signature check over the raw body: the header holds
 * `sha256=<hex>` (a bare hex digest is accepted too). Compared in constant time.
 */
export function validSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const given = header.trim().replace(/^sha256=/i, '');
  if (!/^[0-9a-f]{64}$/i.test(given)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
