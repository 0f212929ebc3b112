import { parseIsoDuration } from '../execution/iso-duration.js';
import type { JsonObject } from '../shared/json.js';
import type { TaskPropertyIssue } from '../task-types/task-type-definition.js';
import { HTTP_TRIGGER_REQUEST_PROPERTIES, type HttpTrigger } from './trigger.model.js';

/** The Request task's own property check (its catalog entry's `validate`), when the caller has the catalog. */
export type RequestPropertiesCheck = (properties: JsonObject) => readonly TaskPropertyIssue[];

/** Kestra's defaults (core/src/main/java/io/kestra/plugin/core/http/Trigger.java). */
export const HTTP_TRIGGER_DEFAULT_INTERVAL = 'PT60S';
export const HTTP_TRIGGER_DEFAULT_CONDITION = '{{ response.statusCode < 400 }}';
/** Below a second a poll could start before the last one answered; Kestra advises at least PT30S. */
const MIN_INTERVAL_MS = 1000;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const isTemplate = (v: unknown): boolean => typeof v === 'string' && (v.includes('{{') || v.includes('{%'));

export const ENCRYPT_BODY_REASON = 'Chronicle has no encrypted outputs (the Request task refuses encryptBody too): the response body would be kept and passed as it is';

/**
 * The HTTP trigger's own properties (`interval`, `responseCondition`, `encryptBody` and the
 * request: uri, method, body, formData, contentType, headers, options). The request is checked by
 * the Request task's own validator when given (deploy: parseFlow has the task catalog), else by
 * the same essentials (uri, method). Problems go to `report(field, message)`; undefined if any.
 */
export function parseHttpTriggerProperties(
  t: JsonObject, report: (field: string, message: string) => void, requestCheck?: RequestPropertiesCheck,
): Pick<HttpTrigger, 'intervalMs' | 'request' | 'responseCondition'> | undefined {
  let ok = true;
  const fail = (field: string, message: string) => {
    ok = false;
    report(field, message);
  };
  const interval = t.interval ?? HTTP_TRIGGER_DEFAULT_INTERVAL;
  const intervalMs = typeof interval === 'string' ? parseIsoDuration(interval) : undefined;
  if (intervalMs === undefined) fail('interval', `an ISO-8601 duration such as PT30S, got ${JSON.stringify(interval)}`);
  else if (intervalMs < MIN_INTERVAL_MS) fail('interval', `at least PT1S (a poll must be able to answer before the next one), got ${JSON.stringify(interval)}`);
  const responseCondition = t.responseCondition ?? HTTP_TRIGGER_DEFAULT_CONDITION;
  if (typeof responseCondition !== 'string') fail('responseCondition', 'an expression (a string) such as "{{ response.statusCode == 200 }}"');
  if (t.encryptBody === true) fail('encryptBody', `is not supported by Chronicle: ${ENCRYPT_BODY_REASON}`);
  else if (t.encryptBody !== undefined && t.encryptBody !== false) {
    fail('encryptBody', isTemplate(t.encryptBody) ? 'must be written out (false): an expression could render true, which Chronicle does not support' : 'true or false');
  }

  const request: Record<string, JsonObject[string]> = {};
  for (const key of HTTP_TRIGGER_REQUEST_PROPERTIES) if (t[key] !== undefined && t[key] !== null) request[key] = t[key];
  if (request.uri === undefined) fail('uri', 'required: the URL to poll');
  if (requestCheck) {
    // The task's "required property uri is missing" is said above, at the trigger's own path.
    for (const issue of requestCheck(request)) if (issue.path.length > 0 || !/"uri"/.test(issue.message)) fail(issue.path.join('.'), issue.message);
  } else {
    if (request.uri !== undefined && typeof request.uri !== 'string') fail('uri', 'must be a string');
    const m = request.method;
    if (m !== undefined && !isTemplate(m) && !(typeof m === 'string' && METHODS.includes(m.toUpperCase()))) fail('method', `one of ${METHODS.join(', ')}, got ${JSON.stringify(m)}`);
  }
  // The Request task refuses this when it runs; a trigger would then fail every poll, silently to the flow's author.
  const method = typeof request.method === 'string' && !isTemplate(request.method) ? request.method.toUpperCase() : request.method === undefined ? 'GET' : undefined;
  for (const field of ['body', 'formData'] as const) {
    if ((method === 'GET' || method === 'HEAD') && request[field] !== undefined) fail(field, `a ${method} request cannot have a body (set method: POST, PUT or PATCH)`);
  }
  if (!ok || intervalMs === undefined || typeof responseCondition !== 'string') return undefined;
  return { intervalMs, request, responseCondition };
}
