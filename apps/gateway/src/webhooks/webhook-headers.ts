import type { IncomingHttpHeaders } from 'node:http';
import type { JsonObject } from '@chronicle/domain';

/**
 * Request headers that carry the caller's credentials. A webhook execution keeps its request's
 * headers (`{{ trigger.headers }}`, readable by every VIEWER of the namespace), so these never
 * reach it: a token sent to Chronicle or to a proxy in front of it must not become readable data.
 */
const CREDENTIAL_HEADERS = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token', 'x-access-token',
  'x-csrf-token', 'x-xsrf-token', 'x-amz-security-token',
]);

/** The headers a webhook execution keeps: every one but the credential ones, repeated values joined. */
export function keptWebhookHeaders(headers: IncomingHttpHeaders): JsonObject {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase()))
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
  );
}
