import { expect, it } from 'vitest';
import { untilTerminal, type GatewayClient } from '@chronicle/testing';
import { deploy, NS, view } from './engine.scenario.js';

/**
 * ForEachItem end to end (Kestra's flows/valids/for-each-item.yaml with for-each-item-subflow.yaml):
 * a FILE input of 102 lines, 4 rows per batch. It needs the internal storage (FILE inputs as
 * kestra:/// URIs, the worker's `services.storage`), which the kestra-io branch brings: once both are
 * merged, engine-standalone/-distributed call `forEachItemScenario(() => client)` next to
 * `coreFlowTasksScenario`. Verified in both modes on a merge of the two branches.
 */
export function forEachItemScenario(client: () => GatewayClient): void {
  it('ForEachItem (Kestra flows/valids/for-each-item.yaml): 26 subflow executions, one per batch of 4 lines', async () => {
    const c = client();
    await deploy(c, `id: for-each-item-subflow\nnamespace: ${NS}\ninputs:\n  - id: items\n    type: STRING\ntasks:\n  - id: per-item\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ inputs.items }}"\noutputs:\n  - { id: items, type: STRING, value: "{{ inputs.items }}" }\n`);
    await deploy(c, `id: for-each-item
namespace: ${NS}
inputs:
  - id: file
    type: FILE
  - id: batch
    type: INT
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch:
      rows: "{{inputs.batch}}"
    namespace: ${NS}
    flowId: for-each-item-subflow
    wait: true
    transmitFailed: true
    inputs:
      items: "{{ taskrun.items }}"
  - id: read
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.each_merge.subflowOutputs }}"
`);
    const form = new FormData();
    form.append('batch', '4');
    form.append('files', new Blob([Array.from({ length: 102 }, (_, i) => `line ${i}`).join('\n') + '\n'], { type: 'text/plain' }), 'file');
    const res = await fetch(`${c.url}/api/v1/executions/${NS}/for-each-item`, { method: 'POST', headers: { authorization: `Bearer ${c.token}` }, body: form });
    expect(res.status).toBe(200);
    const started: any = await res.json();
    expect((await untilTerminal(c, started.id, 60_000)).state).toBe('SUCCESS');
    const done = await view(c, started.id);
    expect(done.taskRuns.map((t) => t.taskId)).toEqual(['each', 'each_split', 'each_items', 'each_merge', 'read']);
    expect(done.taskRuns[2]!.outputs).toEqual({ numberOfBatches: 26, iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 26 } });
    const merged = done.taskRuns[3]!.outputs.subflowOutputs as string;
    const file = await fetch(`${c.url}/api/v1/executions/${started.id}/file?path=${encodeURIComponent(merged)}`, { headers: { authorization: `Bearer ${c.token}` } });
    expect((await file.text()).trim().split('\n')).toHaveLength(26);
  });
}
