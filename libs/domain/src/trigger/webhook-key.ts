import type { ExpressionHost } from '../expression/expression-host.js';
import { renderTemplate } from '../expression/template.renderer.js';
import type { WebhookTrigger } from './trigger.model.js';

const TEMPLATE = /\{\{|\{%/;

/**
 * The key a webhook call must bring, as Kestra's WebhookController reads it: the trigger's `key`
 * rendered against its flow (`{{ flow.id }}`) with the secrets (`{{ secret('WEBHOOK_KEY') }}`).
 * A plain key is itself; a key whose rendering fails (a missing secret) matches no call.
 */
export function webhookKeyOf(
  trigger: WebhookTrigger,
  flow: { readonly id: string; readonly namespace: string; readonly revision: number },
  host: Pick<ExpressionHost, 'secret'>,
  now: string,
  onError: (message: string) => void = () => undefined,
): string | undefined {
  if (!TEMPLATE.test(trigger.key)) return trigger.key;
  try {
    return renderTemplate(trigger.key, {
      inputs: {}, outputs: {}, labels: {}, flow, now, host,
      execution: { id: '', startDate: now, originalId: '' },
      trigger: { id: trigger.id, type: 'io.kestra.plugin.core.trigger.Webhook' },
    });
  } catch (error) {
    onError(`webhook ${trigger.id}: its key does not render: ${(error as Error).message}`);
    return undefined;
  }
}
