import type { NextFunction, Request, Response } from 'express';
import { newId, startServerSpan, tracingOn, type Logger } from '@chronicle/runtime';

/** Header a client may set to follow its request through the logs; echoed on the response. */
export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * One SERVER span per HTTP request (a child of the caller's `traceparent`, if any), active while
 * Nest handles it, so that everything the request causes (event store appends, the messages
 * and the executor's work that follow) joins its trace. Each request gets a correlation id
 * (the caller's `x-correlation-id` or a new one), logged at debug with the trace id when it ends.
 * With tracing off the API's no-op tracer makes the span free.
 */
/** A webhook's path carries its key, which authorises the call: traces and logs get it masked. */
export const loggablePath = (path: string): string => path.replace(/^(\/api\/v1\/executions\/webhook\/[^/]+\/[^/]+\/)[^/]+/, '$1******');

export function httpTracing(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const correlationId = (req.header(CORRELATION_HEADER) ?? '').slice(0, 128) || newId();
    res.setHeader(CORRELATION_HEADER, correlationId);
    // Neither a span to record nor a line to log (tracing off, the level above debug): nothing
    // else to do for this request, not even to listen for its end.
    if (!tracingOn() && !logger.isLevelEnabled('debug')) return next();
    const span = startServerSpan(`HTTP ${req.method}`, req.headers, { 'http.request.method': req.method, 'url.path': loggablePath(req.path), 'chronicle.correlation_id': correlationId });
    const started = performance.now();
    res.once('finish', () => {
      span.end(res.statusCode);
      logger.debug({ correlationId, traceId: span.traceId, method: req.method, path: loggablePath(req.path), status: res.statusCode, ms: Math.round(performance.now() - started) }, 'http request');
    });
    span.run(next);
  };
}
