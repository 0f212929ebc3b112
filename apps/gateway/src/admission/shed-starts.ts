import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { countAbandonedStart, countAdmissionRefusal, newId } from '@chronicle/runtime';
import type { ExecutionAdmission } from './execution-admission.js';
import type { AccessControl } from '../auth/request-principal.js';
import { apiError, errorBody } from '../errors/error-mapping.js';
import { API_ERROR_STATUS } from '../errors/api-errors.js';
import { SECURITY_HEADERS, WEBHOOK_CONTENT_SECURITY_POLICY } from '../http/security-headers.middleware.js';
import { CORRELATION_HEADER } from '../observability/http-tracing.middleware.js';
import { isWebhookCall, restStartNamespace } from './start-requests.js';

/** The security headers of an API answer, and of a webhook answer (its own Content-Security-Policy, in the same place). */
const API_HEADERS: Readonly<Record<string, string>> = SECURITY_HEADERS;
const WEBHOOK_HEADERS: Readonly<Record<string, string>> = { ...SECURITY_HEADERS, 'Content-Security-Policy': WEBHOOK_CONTENT_SECURITY_POLICY };

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;
type Refusal = NonNullable<ReturnType<ExecutionAdmission['refusal']>>;

/** What the refusal ahead of Express needs from the application, resolved on the first start (the app's providers exist by then). */
export interface StartShedding {
  readonly admission: Pick<ExecutionAdmission, 'refusal'>;
  /** A REST start is authenticated and authorised before admission (its controller's order): a caller who may not start gets 401/403 as before. */
  readonly access: Pick<AccessControl, 'principal' | 'allows'>;
  /** Express's ETag of a body (`app.get('etag fn')`), so the refusal carries the same ETag as `res.json`'s; undefined when ETags are off. */
  readonly etag?: (body: Buffer) => string | undefined;
}

/**
 * Under overload the refusal must cost less than the work it sheds, and wait for nothing: a
 * webhook call and a REST start (`POST /api/v1/executions/{namespace}/{flowId}`) are answered 429
 * (503 past the memory ceiling) from the server's own 'request' event, ahead of Express (its
 * router, the tracing span, the security-header middleware, the body parsers and multer) and
 * before a byte of the body is read. Node reads and discards the unread body of an answered
 * request and keeps the connection for the client's next call. Such a refusal gets no trace span
 * and no request log (thousands a second under overload: that is the point); its bytes are those
 * of the controller's refusal through Express: status, headers in the same order (correlation id,
 * security headers, `Retry-After`, `Content-Type`, `Content-Length`, `ETag`), the JSON error.
 * The controllers check admission again (and take the slot) for the calls let through. GraphQL's
 * `createExecution` is refused by its resolver: its operation is in the body (see the 2026-12-07
 * distributed-2 bench note for why it is not read here).
 */
export function shedStartsBeforeExpress(server: Server, shedding: () => StartShedding): void {
  const handlers = server.listeners('request') as RequestHandler[];
  server.removeAllListeners('request');
  let resolved: StartShedding | undefined;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    for (const handler of handlers) handler(req, res);
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isWebhookCall(req.url)) {
      const app = (resolved ??= shedding());
      const refusal = app.admission.refusal();
      if (refusal) return refuse(req, res, refusal, WEBHOOK_HEADERS, app.etag);
      return startUnlessAbandoned(req, res, handle);
    }
    const namespace = restStartNamespace(req.method, req.url);
    if (namespace !== undefined) {
      const app = (resolved ??= shedding());
      const refusal = app.admission.refusal();
      if (refusal && mayStart(app.access, req, namespace)) return refuse(req, res, refusal, API_HEADERS, app.etag);
      return startUnlessAbandoned(req, res, handle);
    }
    handle(req, res);
  });
}

/**
 * A start goes on to the application one turn of the loop later, and not at all if its caller has
 * gone by then. Why: Node (libuv >= 1.45) accepts one new connection per turn of its loop, so
 * under overload connections wait in the kernel's accept queue, and one that waited past its
 * client's timeout holds the request and the client's FIN. Node reads the request, emits it, and
 * reads the FIN in the next turn (libuv stops reading a socket at a short read), where it ends the
 * connection: an answer can no longer be written. Started, such a call is an execution nobody
 * waits for, taking a slot and the engine's time from calls still waiting (2026-12-08-shed.md);
 * after the load, the queue's leftovers were mostly these. A caller that half-closes after sending
 * is dropped the same way (Node ends its connection at the FIN, so it got no answer before either).
 * The turn costs an admitted start well under a millisecond on an idle loop.
 */
function startUnlessAbandoned(req: IncomingMessage, res: ServerResponse, handle: RequestHandler): void {
  setImmediate(() =>
    setImmediate(() => {
      if (req.destroyed || req.socket.readableEnded || !req.socket.writable) return countAbandonedStart('gateway');
      handle(req, res);
    }),
  );
}

function mayStart(access: StartShedding['access'], req: IncomingMessage, namespace: string): boolean {
  const principal = access.principal(req.headers.authorization);
  return principal !== undefined && access.allows(principal, 'execute', namespace);
}

function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal, securityHeaders: Readonly<Record<string, string>>, etag: StartShedding['etag']): void {
  countAdmissionRefusal('gateway', refusal.code);
  const answer = apiError(refusal.code, refusal.message, { retryAfterSeconds: refusal.retryAfterSeconds });
  const body = Buffer.from(JSON.stringify(errorBody(answer)));
  const given = req.headers[CORRELATION_HEADER];
  const correlationId = (typeof given === 'string' ? given.slice(0, 128) : '') || newId();
  const tag = etag?.(body);
  res.writeHead(API_ERROR_STATUS[answer.code], {
    [CORRELATION_HEADER]: correlationId,
    ...securityHeaders,
    'Retry-After': String(refusal.retryAfterSeconds),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    ...(tag ? { ETag: tag } : {}),
  });
  res.end(body);
}
