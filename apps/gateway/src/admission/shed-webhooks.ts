import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { newId } from '@chronicle/runtime';
import type { ExecutionAdmission } from './execution-admission.js';
import { apiError, errorBody } from '../errors/error-mapping.js';
import { API_ERROR_STATUS } from '../errors/api-errors.js';
import { SECURITY_HEADERS, WEBHOOK_CONTENT_SECURITY_POLICY } from '../http/security-headers.middleware.js';
import { CORRELATION_HEADER } from '../observability/http-tracing.middleware.js';
import { WEBHOOK_PATH } from '../webhooks/webhook-path.js';


/** What every refusal carries besides its own Retry-After, length and correlation id: the security headers a webhook answer gets. */
const REFUSAL_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'Content-Security-Policy': WEBHOOK_CONTENT_SECURITY_POLICY,
  'Content-Type': 'application/json; charset=utf-8',
};

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Under overload the refusal must cost less than the work it sheds, and wait for nothing: a
 * webhook call is answered 429 (503 past the memory ceiling) from the server's own 'request'
 * event, ahead of Express (its router, the tracing span, the security-header middleware, the
 * ETag of `res.json`) and before a byte of its body is read. Node reads and discards the unread
 * body of an answered request and keeps the connection for the client's next call. Such a refusal
 * gets no trace span and no request log (thousands a second under overload: that is the point);
 * it keeps the answer's contract: status, `Retry-After`, the JSON error, the security headers and
 * the correlation id. The controller checks admission again (and takes the slot) for the calls let
 * through. `admission` is resolved on the first webhook call (the app's providers exist by then).
 */
export function shedWebhooksBeforeExpress(server: Server, admission: () => Pick<ExecutionAdmission, 'refusal'>): void {
  const handlers = server.listeners('request') as RequestHandler[];
  server.removeAllListeners('request');
  let resolved: Pick<ExecutionAdmission, 'refusal'> | undefined;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isWebhook(req.url)) {
      const refusal = (resolved ??= admission()).refusal();
      if (refusal) return refuse(req, res, refusal);
    }
    for (const handler of handlers) handler(req, res);
  });
}

function isWebhook(url: string | undefined): boolean {
  // Express routes case-insensitively: /API/V1/... reaches the webhook controller too.
  return url !== undefined && url.length > WEBHOOK_PATH.length && url.slice(0, WEBHOOK_PATH.length).toLowerCase() === WEBHOOK_PATH;
}

function refuse(req: IncomingMessage, res: ServerResponse, refusal: NonNullable<ReturnType<ExecutionAdmission['refusal']>>): void {
  const answer = apiError(refusal.code, refusal.message, { retryAfterSeconds: refusal.retryAfterSeconds });
  const body = JSON.stringify(errorBody(answer));
  const given = req.headers[CORRELATION_HEADER];
  const correlationId = (typeof given === 'string' ? given.slice(0, 128) : '') || newId();
  res.writeHead(API_ERROR_STATUS[answer.code], {
    ...REFUSAL_HEADERS,
    'Retry-After': String(refusal.retryAfterSeconds),
    'Content-Length': Buffer.byteLength(body),
    [CORRELATION_HEADER]: correlationId,
  });
  res.end(body);
}
