import { expect, it } from 'vitest';
import { eventually } from '@chronicle/testing';
import { tokenOf } from './security-principals.js';
import { TERMINAL, type SecuritySuite } from './security-suite.js';

const KV_SECRET = 'teamB-kv-value-0123456789';
const FILE_SECRET = 'teamB-namespace-file-0123456789';

/**
 * What a flow an EDITOR of teamA deploys can reach through its tasks and expressions: the KV store,
 * namespace files and internal-storage files of its own namespace, its children and the ones
 * CHRONICLE_NAMESPACE_ALLOW allows (`teamA->shared` here); never another namespace's.
 */
export function flowReachScenario(suite: () => SecuritySuite): void {
  it('keeps a flow\'s KV, namespace-file and storage tasks and expressions inside the namespaces it may reach', async () => {
    const { chronicle, admin, client, deploy, until, counted } = suite();
    const asAdmin = { authorization: `Bearer ${tokenOf('ADMIN')}` };
    for (const ns of ['teamB', 'shared']) {
      const put = await fetch(`${chronicle.url}/api/v1/namespaces/${ns}/kv/token`, { method: 'PUT', headers: { ...asAdmin, 'content-type': 'application/json' }, body: JSON.stringify(KV_SECRET) });
      expect(put.status, await put.text()).toBeLessThan(300);
      const form = new FormData();
      form.append('fileContent', new Blob([FILE_SECRET], { type: 'text/plain' }), 'secret.txt');
      const upload = await fetch(`${chronicle.url}/api/v1/namespaces/${ns}/files?path=/secret.txt`, { method: 'POST', headers: asAdmin, body: form });
      expect(upload.status, await upload.text()).toBeLessThan(300);
    }
    const editor = client('EDITOR:teamA');
    const attempts: Array<[string, string]> = [
      ['kv.Get', `type: io.kestra.plugin.core.kv.Get\n    namespace: NS\n    key: token`],
      ['kv.GetKeys', `type: io.kestra.plugin.core.kv.GetKeys\n    namespace: NS`],
      ['kv.Set', `type: io.kestra.plugin.core.kv.Set\n    namespace: NS\n    key: token\n    value: overwritten-by-teamA`],
      ['kv.Delete', `type: io.kestra.plugin.core.kv.Delete\n    namespace: NS\n    key: token`],
      ['kv()', `type: Log\n    message: "{{ kv('token', 'NS') }}"`],
      ['namespace.DownloadFiles', `type: io.kestra.plugin.core.namespace.DownloadFiles\n    namespace: NS\n    files: "**"`],
      ['namespace.UploadFiles', `type: io.kestra.plugin.core.namespace.UploadFiles\n    namespace: teamA\n    filesMap:\n      /copied.txt: "kestra:///NS/_files/secret.txt"`],
      ['namespace.DeleteFiles', `type: io.kestra.plugin.core.namespace.DeleteFiles\n    namespace: NS\n    files: "**"`],
      ['storage.Size', `type: io.kestra.plugin.core.storage.Size\n    uri: "kestra:///NS/_files/secret.txt"`],
      ['storage.Reverse', `type: io.kestra.plugin.core.storage.Reverse\n    from: "kestra:///NS/_files/secret.txt"`],
      ['storage.Delete', `type: io.kestra.plugin.core.storage.Delete\n    uri: "kestra:///NS/_files/secret.txt"`],
      ['fileExists()', `type: Log\n    message: "{{ fileExists('kestra:///NS/_files/secret.txt') }}"`],
    ];
    const flowOf = (id: string, task: string, ns: string) => `id: ${id}\nnamespace: teamA\ntasks:\n  - id: t\n    ${task.replaceAll('NS', ns)}\n`;
    const run = async (id: string) => {
      const started = await editor.data(`mutation($f: String!) { createExecution(namespace: "teamA", flowId: $f) { id } }`, { f: id });
      await until(started.createExecution.id, TERMINAL);
      return (await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { outputs attempts { error } } logs { edges { node { message } } } } }`, { id: started.createExecution.id })).execution;
    };
    for (const [name, task] of attempts) {
      const id = `reach-${name.replace(/[^a-zA-Z]/g, '').toLowerCase()}`;
      const deployed = await deploy(editor, flowOf(id, task, 'teamB'));
      // Refused at deploy or at run time, never done.
      if (deployed.errors) {
        expect(deployed.errors[0]!.message, name).toMatch(/teamB/);
      } else {
        const execution = await run(id);
        expect(execution.state, `${name} on teamB`).toBe('FAILED');
        expect(JSON.stringify(execution.taskRuns), name).toMatch(/teamB.*(CHRONICLE_NAMESPACE_ALLOW|belong to the current execution)/);
        expect(JSON.stringify(execution), name).not.toContain(KV_SECRET);
        expect(JSON.stringify(execution), name).not.toContain(FILE_SECRET);
      }
      counted('abuse: flows reaching another namespace');
    }
    // teamB's data is as it was.
    const kv = await fetch(`${chronicle.url}/api/v1/namespaces/teamB/kv/token`, { headers: asAdmin });
    expect(await kv.text()).toContain(KV_SECRET);
    const file = await fetch(`${chronicle.url}/api/v1/namespaces/teamB/files?path=/secret.txt`, { headers: asAdmin });
    expect(await file.text()).toBe(FILE_SECRET);
    // The allowed namespace (teamA->shared) and the flow's own stay reachable.
    for (const [name, task] of attempts.filter(([n]) => ['kv.Get', 'storage.Size', 'namespace.DownloadFiles'].includes(n))) {
      const id = `reach-ok-${name.replace(/[^a-zA-Z]/g, '').toLowerCase()}`;
      expect((await deploy(editor, flowOf(id, task, 'shared'))).errors, name).toBeUndefined();
      const execution = await run(id);
      expect(execution.state, `${name} on shared: ${JSON.stringify(execution.taskRuns)}`).toBe('SUCCESS');
      counted('abuse: flows reaching another namespace');
    }
  });

  it('lets a Subflow child read the files its parent passed it, in a child or an allowed namespace, and no other execution\'s', async () => {
    const { admin, deploy, client, start, until, counted } = suite();
    const child = (ns: string) => `id: size-of\nnamespace: ${ns}\ninputs:\n  - id: u\n    type: STRING\ntasks:\n  - id: size\n    type: io.kestra.plugin.core.storage.Size\n    uri: "{{ inputs.u }}"\noutputs:\n  - id: size\n    type: STRING\n    value: "{{ outputs.size.size }}"\n`;
    for (const ns of ['teamA.sub', 'shared', 'teamA']) expect((await deploy(admin, child(ns))).errors).toBeUndefined();
    const parent = (target: string) => `id: pass-to-${target.replace(/\./g, '-')}\nnamespace: teamA\ntasks:\n  - id: w\n    type: io.kestra.plugin.core.storage.Write\n    content: twelve bytes\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: ${target}\n    flowId: size-of\n    wait: true\n    transmitFailed: true\n    inputs:\n      u: "{{ outputs.w.uri }}"\n`;
    for (const target of ['teamA.sub', 'shared']) {
      expect((await deploy(client('EDITOR:teamA'), parent(target))).errors).toBeUndefined();
      const id = await start('teamA', `pass-to-${target.replace(/\./g, '-')}`);
      await until(id, TERMINAL);
      const { execution } = await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { taskId outputs attempts { error } } } }`, { id });
      expect(execution.state, `teamA -> ${target}: ${JSON.stringify(execution.taskRuns)}`).toBe('SUCCESS');
      expect(execution.taskRuns.find((t: any) => t.taskId === 'call').outputs.outputs).toEqual({ size: '12' });
      counted('abuse: flows reaching another namespace');
    }
    // Another execution's file, even of the same namespace's parent flow, is out of reach of a child namespace's flow.
    const writer = await start('teamA', 'pass-to-shared');
    await until(writer, TERMINAL);
    const { execution: written } = await admin.data(`query($id: ID!) { execution(id: $id) { taskRuns { taskId outputs } } }`, { id: writer });
    const uri = written.taskRuns.find((t: any) => t.taskId === 'w').outputs.uri as string;
    const stranger = await start('teamA.sub', 'size-of', { u: uri });
    await until(stranger, TERMINAL);
    const { execution } = await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { attempts { error } } } }`, { id: stranger });
    expect(execution.state).toBe('FAILED');
    expect(JSON.stringify(execution.taskRuns)).toMatch(/may not reach the file kestra:\/\/\/teamA\/pass-to-shared\//);
    counted('abuse: flows reaching another namespace');
  });

  it('keeps a parent namespace\'s execution files from a child namespace\'s flow, though its flow id makes their path look the child\'s', async () => {
    const { admin, deploy, client, start, until, counted } = suite();
    // teamA's flow `sub` keeps its files under kestra:///teamA/sub/executions/…, the path of namespace teamA.sub too.
    const child = `id: peek\nnamespace: teamA.sub\ninputs:\n  - id: u\n    type: STRING\ntasks:\n  - id: size\n    type: io.kestra.plugin.core.storage.Size\n    uri: "{{ inputs.u }}"\noutputs:\n  - id: size\n    type: STRING\n    value: "{{ outputs.size.size }}"\n`;
    expect((await deploy(admin, child)).errors).toBeUndefined();
    const parent = `id: sub\nnamespace: teamA\ntasks:\n  - id: w\n    type: io.kestra.plugin.core.storage.Write\n    content: parent-only-data-0123456789\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: teamA.sub\n    flowId: peek\n    wait: true\n    transmitFailed: true\n    inputs:\n      u: "{{ outputs.w.uri }}"\n`;
    expect((await deploy(client('EDITOR:teamA'), parent)).errors).toBeUndefined();
    const writer = await start('teamA', 'sub');
    await until(writer, TERMINAL);
    const { execution: written } = await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { taskId outputs attempts { error } } } }`, { id: writer });
    // What the parent passes its own child stays readable by that child.
    expect(written.state, JSON.stringify(written.taskRuns)).toBe('SUCCESS');
    const uri = written.taskRuns.find((t: any) => t.taskId === 'w').outputs.uri as string;
    expect(uri.startsWith(`kestra:///teamA/sub/executions/${writer}/`)).toBe(true);
    // Started on its own, the teamA.sub flow (an EDITOR of teamA.sub deploys such flows) may not read it.
    const stranger = await start('teamA.sub', 'peek', { u: uri });
    await until(stranger, TERMINAL);
    const { execution } = await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { attempts { error } } } }`, { id: stranger });
    expect(execution.state).toBe('FAILED');
    const refusal = (id: string) => `may not reach the file kestra:///teamA/sub/executions/${id}/`;
    expect(JSON.stringify(execution.taskRuns)).toContain(refusal(writer));
    expect(JSON.stringify(execution.taskRuns)).toContain('of an execution of flow sub of namespace teamA;');
    // The answer is decided from the path, so it is the same for an execution that does not exist:
    // a teamA.sub flow cannot probe which teamA executions exist by the error it gets.
    const madeUp = '01a00000-0000-7000-8000-000000000000';
    const probe = await start('teamA.sub', 'peek', { u: uri.replaceAll(writer, madeUp) });
    await until(probe, TERMINAL);
    const { execution: probed } = await admin.data(`query($id: ID!) { execution(id: $id) { state taskRuns { attempts { error } } } }`, { id: probe });
    expect(probed.state).toBe('FAILED');
    const errorOf = (e: any) => JSON.stringify(e.taskRuns.flatMap((t: any) => t.attempts.map((a: any) => a.error)));
    expect(errorOf(probed).replaceAll(madeUp, '<id>')).toBe(errorOf(execution).replaceAll(writer, '<id>'));
    counted('abuse: flows reaching another namespace', 3);
  });
}

/** Another execution's log lines copied by log.Fetch: its SECRET inputs must not come with them. */
export function fetchedLogsScenario(suite: () => SecuritySuite): void {
  it('hides the fetched execution\'s SECRET input values in what log.Fetch copies out (its file, and whatever reads it)', async () => {
    const { chronicle, admin, client, start, until, counted } = suite();
    const secret = 'fetched-S3CRET-value-0123456789';
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: `id: secret-source\nnamespace: teamA\ninputs:\n  - id: pw\n    type: SECRET\ntasks:\n  - id: say\n    type: Log\n    message: "using {{ inputs.pw }}"\n`,
    });
    await admin.data(`mutation($s: String!) { deployFlow(source: $s) { id } }`, {
      s: `id: fetcher\nnamespace: teamA\ninputs:\n  - id: target\n    type: STRING\ntasks:\n  - id: fetch\n    type: io.kestra.plugin.core.log.Fetch\n    namespace: teamA\n    flowId: secret-source\n    executionId: "{{ inputs.target }}"\n  - id: show\n    type: Log\n    message: "{{ read(outputs.fetch.uri) }}"\n`,
    });
    const source = await start('teamA', 'secret-source', { pw: secret });
    await until(source, TERMINAL);
    // log.Fetch finds the execution in the read model, which may lag the log: wait for its row.
    await eventually('the source execution listed', async () =>
      (await admin.data(`{ executions(namespace: "teamA", flowId: "secret-source", first: 500) { edges { node { id state } } } }`)).executions.edges.some((e: any) => e.node.id === source && TERMINAL.includes(e.node.state)), 60_000);
    const fetcher = await start('teamA', 'fetcher', { target: source });
    await until(fetcher, TERMINAL);
    const viewer = client('VIEWER:teamA');
    const { execution } = await viewer.data(`query($id: ID!) { execution(id: $id) { state taskRuns { taskId outputs } logs { edges { node { message } } } } }`, { id: fetcher });
    expect(execution.state, JSON.stringify(execution)).toBe('SUCCESS');
    expect(JSON.stringify(execution)).toContain('using ******');
    expect(JSON.stringify(execution)).not.toContain(secret);
    const uri = execution.taskRuns.find((t: any) => t.taskId === 'fetch').outputs.uri as string;
    const file = await fetch(`${chronicle.url}/api/v1/executions/${fetcher}/file?path=${encodeURIComponent(uri)}`, { headers: { authorization: `Bearer ${tokenOf('VIEWER:teamA')}` } });
    const text = await file.text();
    expect(file.status, text).toBe(200);
    expect(text).toContain('using ******');
    expect(text).not.toContain(secret);
    counted('abuse: SECRET masking', 2);
  });
}
