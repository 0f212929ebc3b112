import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the Unix time (seconds) a timestamped signature was made at. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-chronicle-timestamp';

/** What the signature of a webhook request is checked against (see README, "Webhook"). */
export interface SignedWebhookRequest {
  /** The raw body bytes as received (empty for a request without a body), whatever the content type. */
  readonly rawBody: Buffer;
  /** The query string as sent, without the `?` ('' when there is none). */
  readonly rawQuery: string;
  /** The value of the trigger's signature header. */
  readonly signature?: string;
  /** The value of x-chronicle-timestamp. */
  readonly timestamp?: string;
}

export type SignatureCheck = { readonly ok: true; readonly digest: string } | { readonly ok: false; readonly message: string };

/**
 * Two ways to sign, both HMAC-SHA256 with the trigger's `secret`, sent as `sha256=<hex>` in the
 * trigger's `signatureHeader`:
 * - timestamped (when x-chronicle-timestamp is sent): over `<timestamp>.<query>.<body>`, so the
 *   query parameters are covered, and refused when the timestamp is further than `toleranceSeconds`
 *   from now (a captured request cannot be replayed later);
 * - body only (GitHub's `x-hub-signature-256`): over the body; such a request may carry no query
 *   parameter but `wait`, as nothing else would be covered.
 * Either way the digest is returned: the execution id is derived from it, so the same signed
 * request sent again is the same execution, never a second one.
 */
export function checkSignature(secret: string, request: SignedWebhookRequest, nowMs: number, toleranceSeconds: number, header: string): SignatureCheck {
  const given = request.signature?.trim().replace(/^sha256=/i, '');
  if (!given || !/^[0-9a-f]{64}$/i.test(given)) return { ok: false, message: `missing or invalid signature in header ${header} (expected sha256=<hex HMAC-SHA256>)` };
  let expected: Buffer;
  if (request.timestamp !== undefined) {
    if (!/^\d{1,12}$/.test(request.timestamp.trim())) return { ok: false, message: `${WEBHOOK_TIMESTAMP_HEADER} must be the Unix time in seconds` };
    const age = Math.round(nowMs / 1000 - Number(request.timestamp.trim()));
    if (Math.abs(age) > toleranceSeconds) {
      return { ok: false, message: `the signature's ${WEBHOOK_TIMESTAMP_HEADER} is ${age} s from now, outside the tolerance of ${toleranceSeconds} s (CHRONICLE_WEBHOOK_SIGNATURE_TOLERANCE_SECONDS): sign each request with the current time` };
    }
    expected = hmac(secret, timestampedPayload(request.timestamp.trim(), request.rawQuery, request.rawBody));
  } else {
    if (uncoveredQuery(request.rawQuery)) {
      return { ok: false, message: `query parameters are not covered by a body-only signature: send ${WEBHOOK_TIMESTAMP_HEADER} and sign <timestamp>.<query>.<body>, or move them into the body` };
    }
    expected = hmac(secret, request.rawBody);
  }
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { ok: false, message: `missing or invalid signature in header ${header}` };
  return { ok: true, digest: expected.toString('hex') };
}

/** The bytes a timestamped signature covers: `<timestamp>.<query>.<body>`. */
export function timestampedPayload(timestamp: string, rawQuery: string, rawBody: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}.${rawQuery}.`), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody)]);
}

/** A body-only signature (GitHub's `x-hub-signature-256`). */
export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${hmac(secret, body).toString('hex')}`;
}

/** A timestamped signature: the headers to send with a request of this query and body. */
export function signTimestamped(secret: string, timestampSeconds: number, rawQuery: string, body: string | Buffer): { timestamp: string; signature: string } {
  const timestamp = String(Math.floor(timestampSeconds));
  return { timestamp, signature: `sha256=${hmac(secret, timestampedPayload(timestamp, rawQuery, body)).toString('hex')}` };
}

const hmac = (secret: string, data: string | Buffer): Buffer => createHmac('sha256', secret).update(data).digest();

/** Any query parameter but `wait` (which only says how to answer). */
function uncoveredQuery(rawQuery: string): boolean {
  return [...new URLSearchParams(rawQuery).keys()].some((name) => name !== 'wait');
}
