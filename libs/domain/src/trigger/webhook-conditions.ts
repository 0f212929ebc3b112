import type { JsonObject } from '../shared/json.js';
import { conditionHolds } from './conditions/condition.evaluate.js';
import type { WebhookTrigger } from './trigger.model.js';

/** What one webhook call brings: Kestra's `trigger.body`, `trigger.headers`, `trigger.parameters`. */
export interface WebhookCall {
  readonly body: JsonObject[string];
  readonly headers: JsonObject;
  readonly parameters: JsonObject;
}

/**
 * Whether a webhook call passes its trigger's `conditions` (all must hold), judged as Kestra's
 * WebhookController does before it creates the execution: with the flow and `trigger.*` of the
 * call. A condition that cannot be evaluated does not hold (`onError` gets the reason).
 */
export function webhookCallAllowed(
  trigger: WebhookTrigger, flow: { readonly id: string; readonly namespace: string; readonly revision: number }, call: WebhookCall, now: string,
  onError: (message: string) => void = () => undefined,
): boolean {
  if (trigger.conditions.length === 0) return true;
  const context = {
    inputs: {}, outputs: {}, labels: {},
    execution: { id: '', startDate: now, originalId: '' },
    flow,
    trigger: { body: call.body, headers: call.headers, parameters: call.parameters },
    now,
  };
  return trigger.conditions.every((c) => conditionHolds(c, { context }, onError));
}
