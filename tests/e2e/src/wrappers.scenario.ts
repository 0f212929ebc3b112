import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';

/**
 * Wrappers (issue 15, item 7), the same in every mode: a flow declares two wrappers; starting it
 * starts the outermost wrapper, which sees the wrapped start's inputs (`wrapped`) and runs the next
 * layer through RunWrapped, down to the flow itself; the execution tree shows the nesting and the
 * outer result is the wrapped execution's outcome. `unwrapped` starts the flow alone; a wrapper
 * cycle is refused at deploy and at start naming the field.
 */
export const WRAP_NS = 'wrap.e2e';

const deploy = (c: GatewayClient, source: string) => c.graphql(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: source });

export function wrappersScenario(client: () => GatewayClient): void {
  it('a wrapped start runs its wrappers around it, outermost first; the tree shows the nesting', async () => {
    const c = client();
    for (const source of [
      `id: audit\nnamespace: ${WRAP_NS}\ninputs:\n  - { id: level, type: STRING }\ntasks:\n  - { id: before, type: io.kestra.plugin.core.output.OutputValues, values: { seen: "{{ inputs.level }} {{ wrapped.flowId }} {{ wrapped.inputs.customer }}" } }\n  - id: run\n    type: io.chronicle.wrapper.RunWrapped\n    retry: { type: constant, interval: PT1S, maxAttempts: 2 }\n  - { id: after, type: io.kestra.plugin.core.output.OutputValues, values: { result: "{{ outputs.run.state }}" } }\n`,
      `id: timebox\nnamespace: ${WRAP_NS}\ntasks:\n  - { id: run, type: io.chronicle.wrapper.RunWrapped, timeout: PT1M }\n`,
      `id: invoice\nnamespace: ${WRAP_NS}\nwrappers:\n  - { namespace: ${WRAP_NS}, flowId: audit, inputs: { level: high } }\n  - { namespace: ${WRAP_NS}, flowId: timebox }\ninputs:\n  - { id: customer, type: STRING }\noutputs:\n  - { id: total, type: STRING, value: "{{ inputs.customer }}-42" }\ntasks:\n  - { id: bill, type: io.kestra.plugin.core.output.OutputValues, values: { v: "{{ inputs.customer }}" } }\n`,
    ]) expect((await deploy(c, source)).errors).toBeUndefined();

    const { createExecution } = await c.data(`mutation { createExecution(namespace:"${WRAP_NS}", flowId:"invoice", inputs: { customer: "ACME" }, labels: { team: "sales" }){ id flowId wraps { flowId innerWrappers { flowId } } } }`);
    expect(createExecution).toMatchObject({ flowId: 'audit', wraps: { flowId: 'invoice', innerWrappers: [{ flowId: 'timebox' }] } });
    const outerId = createExecution.id as string;
    expect((await untilTerminal(c, outerId, 60_000)).state).toBe('SUCCESS');
    const outer = await eventually('the tree projected', async () => {
      const { execution } = await c.data(`query($id:ID!){ execution(id:$id){ state labels taskRuns { taskId outputs } descendants { id flowId state parentId labels outputs } } }`, { id: outerId });
      return execution.descendants.length === 2 && execution.descendants.every((d: { state: string }) => d.state === 'SUCCESS') ? execution : undefined;
    }, 60_000);
    expect(outer.taskRuns.find((t: { taskId: string }) => t.taskId === 'before').outputs.values.seen).toBe('high invoice ACME');
    const timebox = outer.descendants.find((d: { flowId: string }) => d.flowId === 'timebox');
    const invoice = outer.descendants.find((d: { flowId: string }) => d.flowId === 'invoice');
    expect(timebox.parentId).toBe(outerId);
    expect(invoice.parentId).toBe(timebox.id);
    expect(invoice.labels.team).toBe('sales');
    expect(invoice.outputs).toEqual({ total: 'ACME-42' });
    // The wrapped execution's outcome comes back out, layer by layer (RunWrapped ends as its child did).
    expect(outer.taskRuns.find((t: { taskId: string }) => t.taskId === 'after').outputs.values.result).toBe('SUCCESS');

    // unwrapped: the flow alone.
    const { createExecution: alone } = await c.data(`mutation { createExecution(namespace:"${WRAP_NS}", flowId:"invoice", inputs: { customer: "X" }, unwrapped: true){ id flowId wraps { flowId } } }`);
    expect(alone).toMatchObject({ flowId: 'invoice', wraps: null });
    expect((await untilTerminal(c, alone.id, 60_000)).state).toBe('SUCCESS');
  });

  it('a webhook with ?wait=true on a wrapped flow answers once the outermost wrapper (started in its place) ended', async () => {
    const c = client();
    for (const source of [
      `id: hookbox\nnamespace: ${WRAP_NS}\ntasks:\n  - { id: run, type: io.chronicle.wrapper.RunWrapped, timeout: PT1M }\n`,
      `id: hookedwrapped\nnamespace: ${WRAP_NS}\nwrappers:\n  - { namespace: ${WRAP_NS}, flowId: hookbox }\ntasks:\n  - { id: done, type: io.kestra.plugin.core.output.OutputValues, values: { v: ok } }\ntriggers:\n  - { id: hook, type: io.kestra.plugin.core.trigger.Webhook, key: wrapped-hook-key-0123 }\n`,
    ]) expect((await deploy(c, source)).errors).toBeUndefined();
    // The gateway listens for the end before it starts: the answer must follow the wrapper's execution, not the flow's id.
    const answer = await fetch(`${c.url}/api/v1/executions/webhook/${WRAP_NS}/hookedwrapped/wrapped-hook-key-0123?wait=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ namespace: WRAP_NS, flowId: 'hookbox', state: { current: 'SUCCESS' } });
  });

  it('refuses a wrapper cycle at deploy and at start, naming the field; nothing is created', async () => {
    const c = client();
    expect((await deploy(c, `id: a\nnamespace: ${WRAP_NS}\nwrappers: [{ namespace: ${WRAP_NS}, flowId: b }]\ntasks:\n  - { id: run, type: io.chronicle.wrapper.RunWrapped }\n`)).errors).toBeUndefined();
    const cycle = await deploy(c, `id: b\nnamespace: ${WRAP_NS}\nwrappers: [{ namespace: ${WRAP_NS}, flowId: a }]\ntasks:\n  - { id: run, type: io.chronicle.wrapper.RunWrapped }\n`);
    expect(cycle.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(cycle.errors?.[0]?.message).toMatch(/wrappers\[0\]: wrapper cycle: wrap\.e2e\.b → wrap\.e2e\.a → wrap\.e2e\.b/);
    const self = await deploy(c, `id: c\nnamespace: ${WRAP_NS}\nwrappers: [{ namespace: ${WRAP_NS}, flowId: c }]\ntasks:\n  - { id: run, type: io.chronicle.wrapper.RunWrapped }\n`);
    expect(self.errors?.[0]?.message).toMatch(/wrappers\[0\]\.flowId: a flow cannot wrap itself/);

    const started = await c.graphql(`mutation { createExecution(namespace:"${WRAP_NS}", flowId:"invoice", inputs: { customer: "Y" }, wrappers: [{ namespace: "${WRAP_NS}", flowId: "invoice" }]){ id } }`);
    expect(started.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(started.errors?.[0]?.message).toMatch(/^wrappers\[0\]\.flowId: a flow cannot wrap itself/);
    const unknown = await c.graphql(`mutation { createExecution(namespace:"${WRAP_NS}", flowId:"invoice", inputs: { customer: "Y" }, wrappers: [{ namespace: "${WRAP_NS}", flowId: "nope" }]){ id } }`);
    expect(unknown.errors?.[0]?.message).toMatch(/^wrappers\[0\]: the wrapper flow wrap\.e2e\.nope does not exist/);
    // Only the two runs of the first test exist (the wrapped one and the unwrapped one), both ended
    // (the list is the read model: it may show the last one CREATED for a moment).
    const states = await eventually('the list caught up', async () => {
      const { executions } = await c.data(`query { executions(namespace:"${WRAP_NS}", flowId:"invoice"){ edges { node { state } } } }`);
      const all = executions.edges.map((e: { node: { state: string } }) => e.node.state);
      return all.every((state: string) => state === 'SUCCESS') ? all : undefined;
    }, 60_000);
    expect(states).toEqual(['SUCCESS', 'SUCCESS']);
  });
}
