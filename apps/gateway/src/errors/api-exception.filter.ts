import { Catch, HttpException, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { allowedMethods, kestraError } from './unmatched-route.js';
import type { Logger } from '@chronicle/runtime';
import { API_ERROR_STATUS } from './api-errors.js';
import { apiError, errorBody, mapError, RETRY_AFTER_SECONDS } from './error-mapping.js';

/** REST errors: `{ code, reason, message, details? }` with the status of the category `code`. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') throw error;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (error instanceof NotFoundException && /^Cannot [A-Z]+ /.test(error.message)) {
      // No route matched: Kestra's JSON error, 405 naming the allowed methods when the path exists.
      const allowed = allowedMethods(req);
      if (allowed.length > 0) {
        res.status(405).set('allow', allowed.join(', ')).json(kestraError(req, apiError('METHOD_NOT_ALLOWED', 'Method Not Allowed'), `Method [${req.method}] not allowed for URI [${req.path}]. Allowed methods: [${allowed.join(', ')}]`));
      } else {
        res.status(404).json(kestraError(req, apiError('ROUTE_NOT_FOUND', 'Not Found'), `Page Not Found: no route ${req.method} ${req.path}`));
      }
      return;
    }
    if (error instanceof HttpException) {
      // Nest's own answers (a multipart part over its limit, a pipe's refusal): the status stays Nest's.
      const status = error.getStatus();
      const body = error.getResponse();
      const reason = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 404 ? 'ROUTE_NOT_FOUND' : status < 500 ? 'REQUEST_INVALID' : 'INTERNAL';
      res.status(status).json(typeof body === 'object' && body !== null && 'status' in body ? body : errorBody(apiError(reason, error.message)));
      return;
    }
    const parserError = error as { type?: string; status?: number };
    if (parserError?.type === 'entity.too.large') {
      res.status(413).json(errorBody(apiError('PAYLOAD_TOO_LARGE', 'the request body is larger than the limit')));
      return;
    }
    if (parserError?.type === 'entity.parse.failed') {
      res.status(400).json(errorBody(apiError('REQUEST_INVALID', 'the request body is not valid JSON')));
      return;
    }
    const mapped = mapError(error);
    if (mapped.code === 'INTERNAL_SERVER_ERROR') this.logger.error({ err: error }, 'request failed');
    // A dependency is down, not the request wrong: tell clients (and webhook senders) to retry.
    // Past the memory ceiling, too (MEMORY_CEILING, with the gateway's own wait; not logged: it is load, not a fault).
    if (mapped.code === 'SERVICE_UNAVAILABLE') {
      if (mapped.reason !== 'MEMORY_CEILING') this.logger.warn({ err: error }, 'request failed: a dependency is unreachable');
      res.set('Retry-After', String(mapped.details?.retryAfterSeconds ?? RETRY_AFTER_SECONDS));
    }
    // A rate limit or overload (admission control): retryable, with the wait the gateway suggests.
    if (mapped.code === 'TOO_MANY_REQUESTS') res.set('Retry-After', String(mapped.details?.retryAfterSeconds ?? 1));
    res.status(API_ERROR_STATUS[mapped.code]).json(errorBody(mapped));
  }
}
