import type { IncomingMessage, Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application as ExpressApp } from 'express';
import type { Logger } from '@chronicle/runtime';
import { ApiExceptionFilter } from './errors/api-exception.filter.js';
import { securityHeaders } from './http/security-headers.middleware.js';
import { httpTracing } from './observability/http-tracing.middleware.js';
import { serveUi } from './static/ui-static.js';
import { shedStartsBeforeExpress } from './admission/shed-starts.js';
import type { ExecutionAdmission } from './admission/execution-admission.js';
import { AccessControl } from './auth/request-principal.js';
import { EXECUTION_ADMISSION } from './gateway.tokens.js';
import { WEBHOOK_PATH } from './webhooks/webhook-path.js';

export const MAX_BODY_BYTES = '1mb';
/**
 * The listening socket's accept queue (the kernel caps it at net.core.somaxconn). Node's 511 is
 * too short for an overload: while the loop is busy, clients that find every kept-alive
 * connection taken open new ones, and a SYN that finds the queue full is dropped and resent
 * after 1 s, then 3 s, 7 s: a refusal that should take milliseconds arrives seconds late.
 */
export const LISTEN_BACKLOG = 4096;

/** `app.listen` with LISTEN_BACKLOG: Nest hands its arguments to Node's `server.listen(port, host, backlog, cb)`, a form its types leave out. */
export function listenHttp(app: INestApplication, port: number, host: string): Promise<unknown> {
  return (app.listen as unknown as (port: number, host: string, backlog: number) => Promise<unknown>).call(app, port, host, LISTEN_BACKLOG);
}
/** A KV value is any JSON text (`42`, `"text"`), which the strict JSON parser refuses: its route reads the bytes. */
const KV_VALUE_PATH = /^\/api\/v1\/namespaces\/[^/]+\/kv\/[^/?]+/;
const isKvValue = (req: IncomingMessage) => KV_VALUE_PATH.test(req.url ?? '');

// Nest's option types leave `verify` out (it sets its own when the app is created with
// `rawBody: true`, which does the same); the body parsers take it.
const keepingRawBody = <T extends object>(options: T): T => ({
  ...options,
  verify: (req: IncomingMessage & { rawBody?: Buffer }, _res: unknown, bytes: Buffer) => {
    req.rawBody = bytes;
  },
});

/** HTTP settings shared by the gateway process and the standalone process. */
export function configureHttp(app: INestApplication, logger: Logger): void {
  const express = app as NestExpressApplication;
  // First, so the request's span is active for everything after it.
  express.use(httpTracing(logger));
  express.use(securityHeaders());
  // Ahead of Express and its body parsers: an overloaded gateway refuses a webhook call or a REST start for almost nothing.
  shedStartsBeforeExpress(express.getHttpServer() as Server, () => ({
    admission: app.get<symbol, ExecutionAdmission>(EXECUTION_ADMISSION, { strict: false }),
    access: app.get(AccessControl, { strict: false }),
    etag: (express.getHttpAdapter().getInstance() as ExpressApp).get('etag fn') as ((body: Buffer) => string) | undefined,
  }));
  // Every parser keeps the bytes it read (`req.rawBody`): a webhook's signature is checked
  // against them, whatever the content type. On the webhook path a type none of the others
  // reads (e.g. application/octet-stream) is read raw, so its bytes are there too (within the
  // limit); elsewhere such bodies are left to their routes (multipart uploads go to multer).
  express.useBodyParser('json', keepingRawBody({ limit: MAX_BODY_BYTES, type: (req: IncomingMessage) => !isKvValue(req) && /^application\/json\b/i.test(req.headers['content-type'] ?? '') }));
  express.useBodyParser('urlencoded', keepingRawBody({ limit: MAX_BODY_BYTES, extended: true }));
  // Flow YAML (Kestra's `Content-Type: application/x-yaml`) arrives as text.
  express.useBodyParser('text', keepingRawBody({ limit: MAX_BODY_BYTES, type: ['text/plain', 'application/x-yaml', 'application/yaml'] }));
  express.useBodyParser('raw', keepingRawBody({ limit: MAX_BODY_BYTES, type: (req: IncomingMessage) => req.url?.startsWith(WEBHOOK_PATH) === true || isKvValue(req) }));
  express.disable('x-powered-by');
  app.useGlobalFilters(new ApiExceptionFilter(logger));
  serveUi(express, logger);
}
