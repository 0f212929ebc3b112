import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from '@chronicle/runtime';
import { ApiExceptionFilter } from './errors/api-exception.filter.js';
import { httpTracing } from './observability/http-tracing.middleware.js';
import { serveUi } from './static/ui-static.js';

export const MAX_BODY_BYTES = '1mb';

/** HTTP settings shared by the gateway process and the standalone process. */
export function configureHttp(app: INestApplication, logger: Logger): void {
  const express = app as NestExpressApplication;
  // First, so the request's span is active for everything after it.
  express.use(httpTracing(logger));
  express.useBodyParser('json', { limit: MAX_BODY_BYTES });
  express.useBodyParser('urlencoded', { limit: MAX_BODY_BYTES, extended: true });
  // Flow YAML (Kestra's `Content-Type: application/x-yaml`) arrives as text.
  express.useBodyParser('text', { limit: MAX_BODY_BYTES, type: ['text/plain', 'application/x-yaml', 'application/yaml'] });
  express.disable('x-powered-by');
  app.useGlobalFilters(new ApiExceptionFilter(logger));
  serveUi(express, logger);
}
