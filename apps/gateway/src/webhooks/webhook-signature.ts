import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the Unix time (seconds) a timestamped signature was made at. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-chronicle-timestamp';

/** The first line of a timestamped signature's string: the scheme's version, so a later one cannot be confused with it. */
export const SIGNATURE_SCHEME = 'chronicle-webhook-v1';

/** What a timestamped signature binds, besides the timestamp and the body. */
export interface SignedTarget {
  /** The HTTP method as sent (GET, POST, PUT), upper-cased. */
  readonly method: string;
  /** The webhook's path: `/api/v1/executions/webhook/<namespace>/<flowId>/<key>` (see `webhookPath`). */
  readonly path: string;
  /** The query string as sent, without the `?` ('' when there is none). */
  readonly rawQuery: string;
}

/** What the signature of a webhook request is checked against (see README, "Webhook"). */
export interface SignedWebhookRequest extends SignedTarget {
  /** The raw body bytes as received (empty for a request without a body), whatever the content type. */
  readonly rawBody: Buffer;
  /** The value of the trigger's signature header. */
  readonly signature?: string;
  /** The value of x-chronicle-timestamp. */
  readonly timestamp?: string;
}

export type SignatureCheck = { readonly ok: true; readonly digest: string } | { readonly ok: false; readonly message: string };

/**
 * The path a timestamped signature covers: the route's own, from its decoded parameters, so a
 * proxy that adds a prefix or re-encodes the URL does not break it, and a signature made for one
 * webhook (flow, namespace, key) is worth nothing on another that shares its secret.
 */
export const webhookPath = (namespace: string, flowId: string, key: string): string => `/api/v1/executions/webhook/${namespace}/${flowId}/${key}`;

/**
 * Two ways to sign, both HMAC-SHA256 with the trigger's `secret`, sent as `sha256=<hex>` in the
 * trigger's `signatureHeader`:
 * - timestamped (when x-chronicle-timestamp is sent): over `timestampedPayload` (scheme, method,
 *   path, query, timestamp, body; one per line, body last), refused when the timestamp is further
 *   than `toleranceSeconds` from now (a captured request cannot be replayed later);
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
    const payload = timestampedPayload(request, request.timestamp.trim(), request.rawBody);
    if (!payload) return { ok: false, message: 'a line break in the webhook path or query cannot be signed unambiguously' };
    expected = hmac(secret, payload);
  } else {
    if (uncoveredQuery(request.rawQuery)) {
      return { ok: false, message: `query parameters are not covered by a body-only signature: send ${WEBHOOK_TIMESTAMP_HEADER} and sign the timestamped string (README, "Webhook"), or move them into the body` };
    }
    expected = hmac(secret, request.rawBody);
  }
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { ok: false, message: `missing or invalid signature in header ${header}` };
  return { ok: true, digest: expected.toString('hex') };
}

/**
 * The bytes a timestamped signature covers, one field per line in this fixed order, the body last:
 *
 *     chronicle-webhook-v1\n<METHOD>\n<path>\n<query>\n<timestamp>\n<body bytes>
 *
 * No field before the body can hold a line break (HTTP's request line cannot; the timestamp is
 * digits; one that does is refused), and the body runs to the end, so each string reads back as
 * one request only: a part cannot move from the query into the body, nor a signature made for
 * one method or webhook serve another. Undefined when a field holds a line break.
 */
export function timestampedPayload(target: SignedTarget, timestamp: string, rawBody: Buffer | string): Buffer | undefined {
  const fields = [SIGNATURE_SCHEME, target.method.toUpperCase(), target.path, target.rawQuery, timestamp];
  if (fields.some((f) => /[\r\n]/.test(f))) return undefined;
  return Buffer.concat([Buffer.from(`${fields.join('\n')}\n`), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody)]);
}

/** A body-only signature (GitHub's `x-hub-signature-256`). */
export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${hmac(secret, body).toString('hex')}`;
}

/** A timestamped signature: the headers to send with this request. */
export function signTimestamped(secret: string, timestampSeconds: number, target: SignedTarget, body: string | Buffer): { timestamp: string; signature: string } {
  const timestamp = String(Math.floor(timestampSeconds));
  const payload = timestampedPayload(target, timestamp, body);
  if (!payload) throw new Error('a line break in the webhook path or query cannot be signed');
  return { timestamp, signature: `sha256=${hmac(secret, payload).toString('hex')}` };
}

const hmac = (secret: string, data: string | Buffer): Buffer => createHmac('sha256', secret).update(data).digest();

/** Any query parameter but `wait` (which only says how to answer). */
function uncoveredQuery(rawQuery: string): boolean {
  return [...new URLSearchParams(rawQuery).keys()].some((name) => name !== 'wait');
}
