import type { ExpressionContext } from '../expression/expression-context.js';
import type { ExpressionHost } from '../expression/expression-host.js';
import { renderTemplate, renderValue } from '../expression/template.renderer.js';
import { isTruthy } from '../expression/truthiness.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { conditionHolds } from './conditions/condition.evaluate.js';
import type { HttpTrigger } from './trigger.model.js';

/**
 * What an HTTP trigger's templates can read when it polls: there is no execution yet, so the
 * flow, the installation's `envs` and `globals`, `now()` and, through the host, `secret()`.
 */
export interface HttpPollScope {
  readonly flow: { readonly id: string; readonly namespace: string; readonly revision: number };
  readonly envs?: Readonly<Record<string, string>>;
  readonly globals?: JsonObject;
  readonly host?: Pick<ExpressionHost, 'secret'>;
  /** ISO instant of the poll. */
  readonly now: string;
}

/** The response a poll got, as Kestra hands it to `responseCondition` (`response.*`). */
export interface HttpPollResponse {
  readonly statusCode: number;
  /** The body as text (Kestra's Request.Output body is the response string). */
  readonly body: string;
  /** Name -> list of values, as the Request task gives them. */
  readonly headers: JsonObject;
}

const contextOf = (trigger: HttpTrigger, scope: HttpPollScope, extra: Partial<ExpressionContext> = {}): ExpressionContext => ({
  inputs: {}, outputs: {}, labels: {},
  execution: { id: '', startDate: scope.now, originalId: '' },
  flow: scope.flow,
  trigger: { id: trigger.id, type: trigger.typeName },
  now: scope.now,
  ...(scope.envs ? { envs: scope.envs } : {}),
  ...(scope.globals ? { globals: scope.globals } : {}),
  ...(scope.host ? { host: scope.host } : {}),
  ...extra,
});

/** The trigger's `conditions` (date conditions, Expression) at the poll's time: Kestra judges them before the request. */
export function httpPollAllowed(trigger: HttpTrigger, scope: HttpPollScope, onError: (message: string) => void = () => undefined): boolean {
  if (trigger.conditions.length === 0) return true;
  const context = contextOf(trigger, scope, { trigger: { date: scope.now } });
  return trigger.conditions.every((c) => conditionHolds(c, { context }, onError));
}

/**
 * The Request task's properties for this poll, templates rendered (a 4xx or 5xx is then an answer
 * like any other, for `responseCondition` to judge: Kestra's trigger sets `allowFailed`, and the
 * exchange the scheduler sends never fails on a status). Throws the expression's error when a
 * template does not render.
 */
export function httpPollRequest(trigger: HttpTrigger, scope: HttpPollScope): JsonObject {
  return renderValue(trigger.request, contextOf(trigger, scope)) as JsonObject;
}

/** Whether `responseCondition` holds for this response: rendered, then Kestra's TruthUtils on the text. Throws if it does not render. */
export function httpResponseMatches(trigger: HttpTrigger, response: HttpPollResponse, scope: HttpPollScope): boolean {
  const variables = { response: { statusCode: response.statusCode, body: response.body, headers: response.headers } as JsonValue };
  return isTruthy(renderTemplate(trigger.responseCondition, { ...contextOf(trigger, scope), ...variables } as ExpressionContext));
}

/**
 * Poll slots: every trigger polls at the multiples of its interval since the epoch, so that every
 * scheduler agrees which poll is which (the start of a slot is idempotent) without talking.
 */
export const httpPollSlot = (trigger: Pick<HttpTrigger, 'intervalMs'>, atMs: number): number => Math.floor(atMs / trigger.intervalMs) * trigger.intervalMs;

/** The start's idempotency key for one slot: two schedulers, or one restarted, never start that poll twice. */
export const httpPollKey = (trigger: Pick<HttpTrigger, 'id'>, slotMs: number): string => `http:${trigger.id}:${new Date(slotMs).toISOString()}`;
