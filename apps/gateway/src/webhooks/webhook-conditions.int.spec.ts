import { describe, expect, it } from 'vitest';
import { gatewayForFile } from '../test-support/gateway.harness.js';

/**
 * Kestra's core/src/test/resources/flows/valids/webhook-with-condition.yaml and
 * webserver/src/test/java/io/kestra/webserver/controllers/api/ExecutionControllerTest.java
 * (webhookWithCondition): a call whose condition holds starts an execution; one whose condition
 * does not is answered 204 with no body, and starts nothing.
 */
const FLOW = `id: webhook-with-condition
namespace: io.kestra.tests

tasks:
  - id: out
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger | json }}"

triggers:
  - id: webhook
    type: io.kestra.plugin.core.trigger.Webhook
    key: webhookKey
    conditions:
      - type: io.kestra.plugin.core.condition.ExpressionCondition
        expression: "{{trigger.body.hello == 'world'}}"
`;

const gateway = gatewayForFile(FLOW);

const call = (body: unknown) => fetch(`${gateway().url}/api/v1/executions/webhook/io.kestra.tests/webhook-with-condition/webhookKey`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});
const executionIds = () => gateway().executionIds('io.kestra.tests', 'webhook-with-condition');

describe('Webhook conditions', () => {
  it('starts an execution when the condition holds, answers 204 and starts nothing when it does not', async () => {
    const started = await call({ hello: 'world' });
    expect(started.status, await started.clone().text()).toBe(200);
    const { id } = (await started.json()) as { id: string };
    expect(id).toBeTruthy();

    const refused = await call({ hello: 'webhook' });
    expect(refused.status).toBe(204);
    expect(await refused.text()).toBe('');
    expect(await executionIds()).toEqual([id]);
  });
});
