import { CodedError } from '@chronicle/errors';

/**
 * The HTTP answer of a webhook call that waited for its execution, when the trigger has
 * `returnOutputs: true` (Kestra's name). Cloudomation's `webhook_{json,text,html,binary}_response`
 * map onto a flow output named `webhookResponse`:
 *
 *     outputs:
 *       - id: webhookResponse
 *         type: JSON
 *         value: { status: 201, json: { ok: true }, headers: { X-Request-Id: "..." } }
 *
 * with exactly one body of `json` (any value), `text`, `html` or `base64` (bytes), an optional
 * `status` (100-599, default 200), `contentType` (default by the body's kind) and `headers`.
 * Without a `webhookResponse` output the answer is the safe default: 200 with the outputs as
 * JSON (500 with the error when the execution did not succeed).
 *
 * A flow may not set headers that would act beyond its own answer or undo the gateway's
 * protections: cookies (`Set-Cookie`), security policies (CSP, HSTS, frame and sniffing options,
 * CORS), authentication challenges, hop-by-hop and framing headers. The gateway's own security
 * headers stay on every answer, HTML included. A response that breaks these rules answers 502
 * naming what is wrong (the caller sees the flow's mistake, not a half-applied answer).
 */
export interface ShapedResponse {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export const WEBHOOK_RESPONSE_OUTPUT = 'webhookResponse';

const FORBIDDEN_HEADERS = new Set([
  'set-cookie', 'set-cookie2', 'content-security-policy', 'content-security-policy-report-only', 'strict-transport-security',
  'x-frame-options', 'x-content-type-options', 'x-xss-protection', 'referrer-policy', 'permissions-policy', 'cross-origin-opener-policy',
  'cross-origin-embedder-policy', 'cross-origin-resource-policy', 'www-authenticate', 'proxy-authenticate', 'content-length',
  'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', 'host', 'date', 'server',
  'clear-site-data', 'refresh', 'link',
]);
const FORBIDDEN_PREFIXES = ['access-control-', 'proxy-', 'sec-'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BODY_KINDS = ['json', 'text', 'html', 'base64'] as const;
const DEFAULT_TYPES: Record<(typeof BODY_KINDS)[number], string> = {
  json: 'application/json; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  base64: 'application/octet-stream',
};

/** The flow's outputs do not shape a valid answer: the caller gets 502 with this message. */
export class WebhookResponseError extends CodedError {
  constructor(message: string) {
    super('WEBHOOK_RESPONSE_INVALID', message);
  }
}

/** The answer for an ended execution's state and flow outputs. */
export function shapeWebhookResponse(execution: { id: string; state: string; outputs?: unknown; error?: string }): ShapedResponse {
  const outputs = (execution.outputs ?? {}) as Record<string, unknown>;
  const spec = outputs[WEBHOOK_RESPONSE_OUTPUT];
  if (spec === undefined) {
    const ok = execution.state === 'SUCCESS' || execution.state === 'WARNING';
    const body = ok ? outputs : { id: execution.id, state: execution.state, ...(execution.error ? { error: execution.error } : {}) };
    return { status: ok ? 200 : 500, contentType: DEFAULT_TYPES.json, headers: {}, body: JSON.stringify(body) };
  }
  return fromSpec(spec);
}

function fromSpec(spec: unknown): ShapedResponse {
  const fail = (message: string): never => {
    throw new WebhookResponseError(`the flow's ${WEBHOOK_RESPONSE_OUTPUT} output ${message}`);
  };
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) fail('must be an object { status?, contentType?, headers?, json | text | html | base64 }');
  const s = spec as Record<string, unknown>;
  const unknown = Object.keys(s).filter((k) => !['status', 'contentType', 'headers', ...BODY_KINDS].includes(k));
  if (unknown.length > 0) fail(`has an unknown field ${unknown[0]}; expected status, contentType, headers and one of ${BODY_KINDS.join(', ')}`);
  const status = s.status === undefined ? 200 : Number(s.status);
  if (!Number.isInteger(status) || status < 100 || status > 599) fail(`status must be an integer from 100 to 599, got ${JSON.stringify(s.status)}`);
  const kinds = BODY_KINDS.filter((k) => s[k] !== undefined);
  if (kinds.length > 1) fail(`must have one body, got ${kinds.join(' and ')}`);
  const kind = kinds[0];
  let body: string | Buffer = '';
  if (kind === 'json') body = JSON.stringify(s.json);
  else if (kind === 'text' || kind === 'html') {
    if (typeof s[kind] !== 'string') fail(`${kind} must be a text`);
    body = s[kind] as string;
  } else if (kind === 'base64') {
    if (typeof s.base64 !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(s.base64)) fail('base64 must be base64-encoded bytes');
    body = Buffer.from(s.base64 as string, 'base64');
  }
  const contentType = s.contentType === undefined ? (kind ? DEFAULT_TYPES[kind] : DEFAULT_TYPES.text) : s.contentType;
  if (typeof contentType !== 'string' || contentType === '' || /[\r\n]/.test(contentType)) fail('contentType must be a one-line text');
  const headers: Record<string, string> = {};
  if (s.headers !== undefined) {
    if (typeof s.headers !== 'object' || s.headers === null || Array.isArray(s.headers)) fail('headers must be an object of names to texts');
    for (const [name, value] of Object.entries(s.headers as Record<string, unknown>)) {
      const lower = name.toLowerCase();
      if (!TOKEN.test(name)) fail(`header name ${JSON.stringify(name)} is not a valid HTTP header name`);
      if (FORBIDDEN_HEADERS.has(lower) || FORBIDDEN_PREFIXES.some((p) => lower.startsWith(p))) {
        fail(`may not set the header ${name}${lower === 'content-type' ? ' (use contentType)' : ': it is kept by the gateway for safety'}`);
      }
      if (!['string', 'number', 'boolean'].includes(typeof value) || /[\r\n\0]/.test(String(value))) fail(`header ${name} must be a one-line text`);
      headers[name] = String(value);
    }
  }
  return { status, contentType: contentType as string, headers, body };
}
