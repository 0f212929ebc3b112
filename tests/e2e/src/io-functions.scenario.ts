import { expect, it } from 'vitest';
import { eventually, type GatewayClient } from '@chronicle/testing';
import { ended } from './engine.scenario.js';

/**
 * Kestra's I/O expression functions end to end: `kv()` after a kv.Set, `read()` and `fileSize()` of a
 * file a task wrote, `read()` of a namespace file and `fileURI()`, `secret()` from SECRET_<KEY>
 * (masked in the logs). The decider leaves these properties to the worker, which renders them
 * against the stores (docs/internal-storage.md).
 * Needs SECRET_E2E_TOKEN=base64('t0ps3cret') in the environment of the workers (both io e2e specs set it).
 */
const NS = 'e2e.iofn';

const FLOW = `id: functions
namespace: ${NS}
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: greeting
    value: hello
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: "line one"
    extension: .txt
  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: ${NS}
    filesMap:
      /queries/q.sql: "{{ outputs.write.uri }}"
  - id: out
    type: io.kestra.plugin.core.output.OutputValues
    values:
      kv: "{{ kv('greeting') }}"
      missing: "{{ kv('nope') ?? 'none' }}"
      text: "{{ read(outputs.write.uri) }}"
      size: "{{ fileSize(outputs.write.uri) }}"
      nsfile: "{{ read('queries/q.sql') }}"
      uri: "{{ fileURI('queries/q.sql') }}"
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "token {{ secret('E2E_TOKEN') }}"
`;

export function ioFunctionsScenario(client: () => GatewayClient): void {
  it('kv(), read(), fileSize(), fileURI() and secret() read the stores at run time', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: FLOW });
    const id = (await c.data(`mutation{ createExecution(namespace:"${NS}", flowId:"functions"){ id } }`)).createExecution.id as string;
    const done = await ended(c, id, 60_000);
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns.find((t) => t.taskId === 'out')!.outputs).toEqual({
      values: { kv: 'hello', missing: 'none', text: 'line one', size: '8', nsfile: 'line one', uri: 'kestra:///e2e/iofn/_files/queries/q.sql' },
    });
    // The secret reached the task, and its value is masked in the log line.
    const masked = await eventually('the log line', async () => {
      const logs = (await c.data(`query($id:ID!){ logs(executionId:$id){ message } }`, { id })).logs as Array<{ message: string }>;
      return logs.find((l) => l.message.startsWith('token '));
    });
    expect(masked.message).toBe('token ******');
  });
}
