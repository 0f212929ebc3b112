import { WEBHOOK_PATH } from '../webhooks/webhook-path.js';

/**
 * Which raw HTTP requests start an execution, told from the method and the URL alone (before
 * Express routes them and before their body is read), for the refusal ahead of Express. Express
 * matches the raw (still percent-encoded) path, case-insensitively, with an optional trailing
 * slash; so do these. When in doubt they answer "no": the request then goes through Express, and
 * a start among them is still refused by its controller.
 */

const EXECUTIONS_PATH = '/api/v1/executions/';

/** A webhook call: any method on `/api/v1/executions/webhook/...`. */
export function isWebhookCall(url: string | undefined): boolean {
  return url !== undefined && url.length > WEBHOOK_PATH.length && url.slice(0, WEBHOOK_PATH.length).toLowerCase() === WEBHOOK_PATH;
}

/**
 * POST routes of two segments under /api/v1/executions that Express routes ahead of the start
 * (`POST /api/v1/executions/{namespace}/{flowId}`, REST_CONTROLLERS's order): a control command
 * on one execution (`/{id}/pause`) and the bulk commands (`/pause/by-ids`). A flow whose id is
 * one of these words cannot be started over REST, and is not taken for a start here either.
 * `start-requests.unit.spec.ts` checks this against every route the controllers declare.
 */
const COMMANDS_ON_ONE = new Set(['pause', 'resume', 'restart', 'replay', 'rewind']);
const BULK_COMMANDS = new Set(['pause', 'resume', 'restart', 'replay', 'labels']);
const BULK_SELECTIONS = new Set(['by-ids', 'by-query']);

/**
 * The namespace (decoded, as the controller gets it) of a REST start, or undefined for any other
 * request: POST with exactly two non-empty segments after /api/v1/executions/ that no earlier
 * route takes. The second segment is never `webhook/...`'s (a webhook call has four).
 */
export function restStartNamespace(method: string | undefined, url: string | undefined): string | undefined {
  if (method !== 'POST' || url === undefined || url.length <= EXECUTIONS_PATH.length) return undefined;
  if (url.slice(0, EXECUTIONS_PATH.length).toLowerCase() !== EXECUTIONS_PATH) return undefined;
  const queryAt = url.indexOf('?');
  let rest = url.slice(EXECUTIONS_PATH.length, queryAt === -1 ? undefined : queryAt);
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1 || rest.indexOf('/', slash + 1) !== -1) return undefined;
  const first = rest.slice(0, slash);
  const second = rest.slice(slash + 1).toLowerCase();
  if (COMMANDS_ON_ONE.has(second)) return undefined;
  if (BULK_COMMANDS.has(first.toLowerCase()) && BULK_SELECTIONS.has(second)) return undefined;
  try {
    return decodeURIComponent(first);
  } catch {
    return undefined; // Express answers a malformed escape itself (400)
  }
}
