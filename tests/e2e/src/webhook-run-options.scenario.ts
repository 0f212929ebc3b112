import { expect, it } from 'vitest';
import { eventually, type GatewayClient } from '@chronicle/testing';

/**
 * Run options by a Webhook trigger's setting (issue 15, item 1): the trigger's `runOptions`
 * (priority, maxRuntime, name, mode...) and `labels` are those of every execution it starts,
 * readable back, with the trigger as who started it; an option no start would accept is refused
 * at deploy naming the field, and nothing is deployed.
 */
export const HOOK_NS = 'hookopts.e2e';

export function webhookRunOptionsScenario(client: () => GatewayClient): void {
  it('a Webhook trigger sets the run options of the executions it starts; a bad one is a deploy error', async () => {
    const c = client();
    const flow = (runOptions: string) => `id: hooked
namespace: ${HOOK_NS}
tasks:
  - { id: out, type: io.kestra.plugin.core.output.OutputValues, values: { v: "{{ trigger.body.v }}" } }
triggers:
  - id: crm
    type: io.kestra.plugin.core.trigger.Webhook
    key: crm-key-0123456789
    labels: { source: crm }
    runOptions: ${runOptions}
`;
    const refused = await c.graphql(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: flow('{ priority: -3 }') });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/triggers\[0\]\.runOptions\.priority: must be 0 or more/);
    expect((await c.data(`query { flow(namespace:"${HOOK_NS}", id:"hooked"){ id } }`)).flow).toBeNull();

    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: flow('{ priority: 6, maxRuntime: PT5M, name: "from the CRM", mode: DEVELOPMENT }') });
    const answer = await c.rest('POST', `/api/v1/executions/webhook/${HOOK_NS}/hooked/crm-key-0123456789?wait=true`, { v: 'x' });
    expect(answer.status, await answer.clone().text()).toBe(200);
    const { id } = (await answer.json()) as { id: string };
    const record = await eventually('projected', async () => {
      const { execution } = await c.data(`query($id:ID!){ execution(id:$id){ state labels priority maxRuntime name mode startedBy { kind id } } }`, { id });
      return execution?.state === 'SUCCESS' ? execution : undefined;
    }, 60_000);
    expect(record).toMatchObject({ labels: { source: 'crm' }, priority: 6, maxRuntime: 'PT5M', name: 'from the CRM', mode: 'DEVELOPMENT', startedBy: { kind: 'trigger', id: 'crm' } });
  });
}
