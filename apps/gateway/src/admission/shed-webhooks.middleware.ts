import type { NextFunction, Request, Response } from 'express';
import type { ExecutionAdmission } from './execution-admission.js';
import { apiError, errorBody } from '../errors/error-mapping.js';
import { API_ERROR_STATUS } from '../errors/api-errors.js';

const WEBHOOK_PATH = '/api/v1/executions/webhook/';

/**
 * Under overload the refusal must cost less than the work it sheds, or refusing alone fills the
 * CPU: a webhook call is answered 429 (503 past the memory ceiling) here, before its body is parsed, routed or traced any
 * further. The controller checks admission again (and takes the slot) for the calls let through.
 */
export function shedWebhooksWhenFull(admission: () => ExecutionAdmission) {
  let resolved: ExecutionAdmission | undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.url.startsWith(WEBHOOK_PATH)) return next();
    // Node discards the unread body of a refused request and keeps the connection.
    const refusal = (resolved ??= admission()).refusal();
    if (!refusal) return next();
    const answer = apiError(refusal.code, refusal.message, { retryAfterSeconds: refusal.retryAfterSeconds });
    res.status(API_ERROR_STATUS[answer.code]).set('Retry-After', String(refusal.retryAfterSeconds)).json(errorBody(answer));
  };
}
