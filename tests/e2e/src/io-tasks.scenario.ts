import { expect, it } from 'vitest';
import { type GatewayClient } from '@chronicle/testing';
import { ended, type ExecutionView } from './engine.scenario.js';

/**
 * Internal storage and KV end to end (issue 14, items 1-2), the same in every mode: a FILE input
 * uploaded through Kestra's REST start, split and concatenated by storage tasks (Kestra's Split and
 * Concat documentation examples), its size read, a KV pair set with a TTL and read back by kv.Get and
 * kv.GetKeys, and the output file served by `GET /api/v1/executions/{id}/file`. In the distributed
 * mode the worker, the gateway and the other executors are separate processes: they share files
 * only through the Postgres adapter.
 */
const NS = 'e2e.io';
const CSV = 'id,name\n1,a\n2,b\n3,c\n4,d\n';

const FLOW = `id: files
namespace: ${NS}
inputs:
  - id: file
    type: FILE
tasks:
  - id: set
    type: io.kestra.plugin.core.kv.Set
    key: last_run
    value: "run {{ execution.id }}"
    ttl: PT1H
  - id: get
    type: io.kestra.plugin.core.kv.Get
    key: last_run
    errorOnMissing: true
  - id: keys
    type: io.kestra.plugin.core.kv.GetKeys
    prefix: last
  - id: split
    type: io.kestra.plugin.core.storage.Split
    from: "{{ inputs.file }}"
    rows: 2
  - id: concat
    type: io.kestra.plugin.core.storage.Concat
    files: "{{ outputs.split.uris }}"
  - id: size
    type: io.kestra.core.tasks.storages.Size
    uri: "{{ outputs.concat.uri }}"
  - id: missing
    type: io.kestra.plugin.core.kv.Get
    key: never_set
`;

const runOf = (e: ExecutionView, taskId: string) => e.taskRuns.find((t) => t.taskId === taskId)!;

export function ioTasksScenario(client: () => GatewayClient): void {
  it('splits and concatenates an uploaded FILE input in the internal storage, and sets and reads KV pairs', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: FLOW });
    const form = new FormData();
    form.append('files', new Blob([CSV], { type: 'text/csv' }), 'file');
    const res = await fetch(`${c.url}/api/v1/executions/${NS}/files`, { method: 'POST', headers: { authorization: `Bearer ${c.token}` }, body: form });
    expect(res.status).toBe(200);
    const started = (await res.json()) as { id: string; inputs: { file: string } };
    expect(started.inputs.file).toBe(`kestra:///e2e/io/files/executions/${started.id}/inputs/file/file`);

    const done = await ended(c, started.id, 60_000);
    expect(done.state).toBe('SUCCESS');
    expect(runOf(done, 'get').outputs).toEqual({ value: `run ${started.id}` });
    expect(runOf(done, 'keys').outputs).toEqual({ keys: ['last_run'] });
    expect(runOf(done, 'missing').outputs).toEqual({});
    const uris = runOf(done, 'split').outputs.uris as string[];
    expect(uris).toHaveLength(3);
    for (const uri of uris) expect(uri.startsWith(`kestra:///e2e/io/files/executions/${started.id}/tasks/split/`)).toBe(true);
    const concat = runOf(done, 'concat').outputs.uri as string;
    expect(runOf(done, 'size').outputs).toEqual({ size: CSV.length });

    const file = await fetch(`${c.url}/api/v1/executions/${started.id}/file?path=${encodeURIComponent(concat)}`, { headers: { authorization: `Bearer ${c.token}` } });
    expect(file.status).toBe(200);
    expect(await file.text()).toBe(CSV);
  });

  // Kestra: core/src/test/resources/flows/valids/working-directory{,-outputs,-inputs,-each}.y*ml and
  // WorkingDirectoryTest (success, failed, outputFiles, inputFiles, each): the worker writes and reads the folder.
  it('WorkingDirectory: LocalFiles share a folder of files; inputFiles and outputFiles; the errors branch on failure', async () => {
    const c = client();
    const auth = { authorization: `Bearer ${c.token}` };
    const text = async (id: string, uri: string) => (await fetch(`${c.url}/api/v1/executions/${id}/file?path=${encodeURIComponent(uri)}`, { headers: auth })).text();
    const ns = `${NS}.wd`;
    const deploy = (s: string) => c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s });
    await deploy(`id: working-directory\nnamespace: ${ns}\ninputs:\n  - id: failed\n    type: STRING\ntasks:\n  - id: worker\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    tasks:\n      - id: first\n        type: io.kestra.plugin.core.storage.LocalFiles\n        inputs:\n          out/stay.txt: "{{ inputs.failed == 'true' ? ko: taskrun.id }}"\n      - id: second\n        type: io.kestra.plugin.core.storage.LocalFiles\n        outputs:\n          - out/*\n      - id: disabled\n        type: io.kestra.plugin.core.debug.Return\n        disabled: true\n    errors:\n      - id: error-t1\n        type: io.kestra.plugin.core.debug.Return\n        format: "Error Trigger ! {{task.id}}"\n  - id: 2_end\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ outputs.second.uris['out/stay.txt'] }}"\n`);
    const ok = (await c.data(`mutation{ createExecution(namespace:"${ns}", flowId:"working-directory", inputs:{failed:"false"}){ id } }`)).createExecution.id as string;
    const success = await ended(c, ok, 60_000);
    expect(success.state).toBe('SUCCESS');
    expect(success.taskRuns).toHaveLength(4);
    const uri = runOf(success, '2_end').outputs.value as string;
    expect(uri.startsWith('kestra://')).toBe(true);
    expect(await text(ok, uri)).toBe(runOf(success, 'first').id);

    const ko = (await c.data(`mutation{ createExecution(namespace:"${ns}", flowId:"working-directory", inputs:{failed:"true"}){ id } }`)).createExecution.id as string;
    const failed = await ended(c, ko, 60_000);
    expect(failed.state).toBe('FAILED');
    expect(failed.taskRuns).toHaveLength(3);
    expect(failed.taskRuns.filter((r) => r.taskId === 'error-t1')).toHaveLength(1);

    await deploy(`id: working-directory-outputs\nnamespace: ${ns}\ntasks:\n  - id: workingDir\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    outputFiles:\n      - output.txt\n    tasks:\n      - id: outputFiles\n        type: io.kestra.plugin.core.storage.LocalFiles\n        inputs:\n          output.txt: "Hello World"\n`);
    const out = (await c.data(`mutation{ createExecution(namespace:"${ns}", flowId:"working-directory-outputs"){ id } }`)).createExecution.id as string;
    const outputs = await ended(c, out, 60_000);
    expect(outputs.state).toBe('SUCCESS');
    expect(outputs.taskRuns).toHaveLength(2);
    expect(await text(out, (runOf(outputs, 'workingDir').outputs.outputFiles as Record<string, string>)['output.txt']!)).toBe('Hello World');

    await deploy(`id: working-directory-inputs\nnamespace: ${ns}\ntasks:\n  - id: workingDir\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    inputFiles:\n      input.txt: Hello World\n    tasks:\n      - id: inputFiles\n        type: io.kestra.plugin.core.storage.LocalFiles\n        outputs:\n          - input.txt\n`);
    const inp = (await c.data(`mutation{ createExecution(namespace:"${ns}", flowId:"working-directory-inputs"){ id } }`)).createExecution.id as string;
    const inputs = await ended(c, inp, 60_000);
    expect(inputs.state).toBe('SUCCESS');
    expect(await text(inp, (runOf(inputs, 'inputFiles').outputs.uris as Record<string, string>)['input.txt']!)).toBe('Hello World');

    await deploy(`id: working-directory-each\nnamespace: ${ns}\ntasks:\n  - id: 1_each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: '["s1"]'\n    tasks:\n    - id: 1-1_each\n      type: io.kestra.plugin.core.flow.ForEach\n      values: '["s2"]'\n      tasks:\n        - id: 1-1-1_each\n          type: io.kestra.plugin.core.flow.ForEach\n          values: '["s3"]'\n          tasks:\n            - id: 1-1-1-1_return\n              type: io.kestra.plugin.core.debug.Return\n              format: "{{task.id}} > {{taskrun.value}} > {{taskrun.startDate}}"\n            - id: worker\n              type: io.kestra.plugin.core.flow.WorkingDirectory\n              tasks:\n              - id: first\n                type: io.kestra.plugin.core.storage.LocalFiles\n                inputs:\n                  out/stay.txt: "{{ taskrun.id }}"\n              - id: second\n                type: io.kestra.plugin.core.storage.LocalFiles\n                outputs:\n                  - out/*\n  - id: 2_end\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ outputs.second.s1.s2.s3.uris['out/stay.txt'] }}"\n`);
    const each = (await c.data(`mutation{ createExecution(namespace:"${ns}", flowId:"working-directory-each"){ id } }`)).createExecution.id as string;
    const eachDone = await ended(c, each, 60_000);
    expect(eachDone.state).toBe('SUCCESS');
    expect(eachDone.taskRuns).toHaveLength(8);
    expect((runOf(eachDone, '2_end').outputs.value as string).startsWith('kestra://')).toBe(true);
  });

  it('serves namespace files through Kestra\'s API, and a flow downloads them with namespace.DownloadFiles', async () => {
    const c = client();
    const auth = { authorization: `Bearer ${c.token}` };
    const base = `${c.url}/api/v1/namespaces/${NS}/files`;
    const form = new FormData();
    form.append('fileContent', new Blob(['select 1;'], { type: 'application/sql' }), 'q.sql');
    const put = await fetch(`${base}?path=/queries/q.sql`, { method: 'POST', headers: auth, body: form });
    expect(put.status).toBe(200);
    expect(await (await fetch(`${base}/directory?path=/`, { headers: auth })).json()).toEqual([{ fileName: 'queries', type: 'Directory', size: 0 }]);
    expect(await (await fetch(`${base}/directory?path=/queries`, { headers: auth })).json()).toEqual([{ fileName: 'q.sql', type: 'File', size: 9 }]);
    expect(await (await fetch(`${base}?path=/queries/q.sql`, { headers: auth })).text()).toBe('select 1;');
    expect((await fetch(`${base}?path=/../../x`, { headers: auth })).status).toBe(400);

    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, {
      s: `id: nsfiles\nnamespace: ${NS}\ntasks:\n  - id: download\n    type: io.kestra.plugin.core.namespace.DownloadFiles\n    namespace: ${NS}\n    files: ["queries/*.sql"]\n`,
    });
    const id = (await c.data(`mutation{ createExecution(namespace:"${NS}", flowId:"nsfiles"){ id } }`)).createExecution.id as string;
    const done = await ended(c, id, 60_000);
    expect(done.state).toBe('SUCCESS');
    const uri = (runOf(done, 'download').outputs.files as Record<string, string>)['/queries/q.sql']!;
    const copy = await fetch(`${c.url}/api/v1/executions/${id}/file?path=${encodeURIComponent(uri)}`, { headers: auth });
    expect(await copy.text()).toBe('select 1;');
    expect((await fetch(`${base}?path=/queries/q.sql`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await fetch(`${base}?path=/queries/q.sql`, { headers: auth })).status).toBe(404);
  });

  // Kestra: core/src/test/resources/flows/valids/log-to-file.yaml (LogToFileTest), Count.java's
  // documented example and PurgeExecutionsTest.run, through the worker of each mode.
  it('logToFile writes the attempt\'s lines to a file; Count counts the flow\'s executions and PurgeExecutions removes them', async () => {
    const c = client();
    const auth = { authorization: `Bearer ${c.token}` };
    const ns = `${NS}.admin`;
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, {
      s: `id: log-to-file\nnamespace: ${ns}\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: Hello World!\n    logToFile: true\n`,
    });
    const runs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const id = (await c.data(`mutation{ createExecution(namespace:"${ns}", flowId:"log-to-file"){ id } }`)).createExecution.id as string;
      expect((await ended(c, id, 60_000)).state).toBe('SUCCESS');
      runs.push(id);
    }
    const attempts = (await c.data(`query($id:ID!){ execution(id:$id){ taskRuns { attempts { logFile } } } }`, { id: runs[0] })).execution.taskRuns[0].attempts;
    const logFile = attempts[0].logFile as string;
    expect(logFile).toMatch(new RegExp(`^kestra:///e2e/io/admin/log-to-file/executions/${runs[0]}/tasks/hello/.+/log-[0-9a-f]{5}\\.txt$`));
    const lines = (await (await fetch(`${c.url}/api/v1/executions/${runs[0]}/file?path=${encodeURIComponent(logFile)}`, { headers: auth })).text()).split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('INFO');
    expect(lines[0]).toContain('Hello World!');

    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, {
      s: `id: admin\nnamespace: ${ns}\ntasks:
  - id: counts
    type: io.kestra.plugin.core.execution.Count
    expression: "{{ count >= 2 }}"
    flows:
      - { namespace: ${ns}, flowId: log-to-file }
    startDate: "{{ now() | dateAdd(-1, 'DAYS') }}"
  - id: purge
    type: io.kestra.plugin.core.execution.PurgeExecutions
    namespace: ${ns}
    flowId: log-to-file
    endDate: "{{ now() | dateAdd(1, 'MINUTES') }}"
`,
    });
    const admin = await ended(c, (await c.data(`mutation{ createExecution(namespace:"${ns}", flowId:"admin"){ id } }`)).createExecution.id as string, 60_000);
    expect(admin.state).toBe('SUCCESS');
    expect(runOf(admin, 'counts').outputs).toEqual({ results: [{ namespace: ns, flowId: 'log-to-file', count: 2 }], total: 2 });
    expect(runOf(admin, 'purge').outputs).toEqual({ executionsCount: 2, logsCount: 0, storagesCount: 2, metricsCount: 0 });
    for (const id of runs) expect((await c.data(`query($id:ID!){ execution(id:$id){ id } }`, { id })).execution).toBeNull();
  });

  it('refuses a core property Chronicle leaves out at deploy, saying why', async () => {
    const c = client();
    const { errors } = await c.graphql(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, {
      s: `id: refused\nnamespace: ${NS}\ntasks:\n  - id: wd\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    cache:\n      patterns: ['node_modules/**']\n      ttl: PT1H\n    tasks:\n      - id: fetch\n        type: io.kestra.plugin.core.storage.LocalFiles\n        inputs: { a.txt: x }\n`,
    });
    expect(JSON.stringify(errors)).toMatch(/cache.{0,4} is not supported by Chronicle: Chronicle keeps no files between executions/);
  });
}
