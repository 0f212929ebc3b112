import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';

/** Kestra's REST start with multipart fields and files, labels and revision; FILE inputs served back. */
export function restParityScenario(client: () => GatewayClient): void {
  it('starts from multipart form fields and files with labels and a revision, and serves the file back', async () => {
    const c = client();
    const v1 = `id: upload\nnamespace: rest.parity\ninputs:\n  - id: name\n    type: STRING\n  - id: count\n    type: INT\n  - id: report\n    type: FILE\ntasks:\n  - id: show\n    type: Log\n    message: "{{ inputs.name }} x{{ inputs.count }}: {{ inputs.report }}"\n`;
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: v1 });
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: v1.replace('x{{', 'times {{') });
    const form = new FormData();
    form.append('name', 'multipart');
    form.append('count', '3');
    form.append('files', new Blob(['a,b\n1,2\n'], { type: 'text/csv' }), 'report');
    const res = await fetch(`${c.url}/api/v1/executions/rest.parity/upload?revision=1&labels=team:data&labels=env:test`, { method: 'POST', headers: { authorization: `Bearer ${c.token}` }, body: form });
    expect(res.status).toBe(200);
    const started: any = await res.json();
    expect(started.flowRevision).toBe(1);
    expect(started.labels).toEqual(expect.arrayContaining([{ key: 'team', value: 'data' }, { key: 'env', value: 'test' }]));
    expect(started.inputs).toMatchObject({ name: 'multipart', count: 3, report: `kestra:///rest/parity/upload/executions/${started.id}/inputs/report/report` });
    // The live monitor's page of the execution (issue 15).
    expect(started.url).toBe(`${c.url}/executions/${started.id}`);
    expect((await untilTerminal(c, started.id)).state).toBe('SUCCESS');
    // Kestra's API for an execution's files (ExecutionController getFileFromExecution).
    const fileUrl = `${c.url}/api/v1/executions/${started.id}/file?path=${encodeURIComponent(started.inputs.report)}`;
    const file = await fetch(fileUrl, { headers: { authorization: `Bearer ${c.token}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await file.text()).toBe('a,b\n1,2\n');
    expect(await (await fetch(`${c.url}/api/v1/executions/${started.id}/file/metas?path=${encodeURIComponent(started.inputs.report)}`, { headers: { authorization: `Bearer ${c.token}` } })).json()).toEqual({ size: 8, contentType: 'text/csv' });
    expect((await fetch(fileUrl)).status).toBe(401);
    const outside = await fetch(`${c.url}/api/v1/executions/${started.id}/file?path=${encodeURIComponent('kestra:///rest/parity/other/x')}`, { headers: { authorization: `Bearer ${c.token}` } });
    expect(outside.status).toBe(400);
    expect((await c.rest('GET', `/api/v1/executions/${started.id}/file?path=/etc/passwd`)).status).toBe(400);

    const bad = await fetch(`${c.url}/api/v1/executions/rest.parity/upload?labels=nocolon`, { method: 'POST', headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(400);
  });

  restRoutesScenario(client);
}

const NS = 'rest.routes';
const yaml = { 'content-type': 'application/x-yaml' };
const json = async (res: Response): Promise<any> => res.json();

/** Polls the REST get until the execution satisfies `done`. */
async function untilRest(c: GatewayClient, id: string, what: string, done: (e: any) => boolean): Promise<any> {
  return eventually(what, async () => {
    const e = await json(await c.rest('GET', `/api/v1/executions/${id}`));
    return done(e) ? e : undefined;
  });
}

/** Every REST route of the Kestra-parity surface (flows, executions, control, logs, follow, triggers, errors). */
function restRoutesScenario(client: () => GatewayClient): void {
  it('flows: create, get, list, search, revisions, update, validate, disable/enable, delete', async () => {
    const c = client();
    const v1 = `id: crud\nnamespace: ${NS}\ntasks:\n  - id: hello\n    type: Log\n    message: hi\n`;
    const created = await c.rest('POST', '/api/v1/flows', v1, yaml);
    expect(created.status).toBe(200);
    expect(await json(created)).toMatchObject({ namespace: NS, id: 'crud', revision: 1 });
    const again = await c.rest('POST', '/api/v1/flows', v1, yaml);
    expect(again.status).toBe(409);
    expect((await json(again)).message).toMatch(/PUT/);

    const updated = await c.rest('PUT', `/api/v1/flows/${NS}/crud`, v1.replace('hi', 'hello'), yaml);
    expect(await json(updated)).toMatchObject({ revision: 2 });
    const renamed = await c.rest('PUT', `/api/v1/flows/${NS}/other`, v1, yaml);
    expect(renamed.status).toBe(400);
    expect(await json(await c.rest('GET', `/api/v1/flows/${NS}/crud`))).toMatchObject({ revision: 2, source: v1.replace('hi', 'hello') });
    expect(await json(await c.rest('GET', `/api/v1/flows/${NS}/crud?revision=1`))).toMatchObject({ revision: 1, source: v1 });
    const badRevision = await c.rest('GET', `/api/v1/flows/${NS}/crud?revision=abc`);
    expect(badRevision.status).toBe(400);
    expect(await json(badRevision)).toMatchObject({ code: 'BAD_USER_INPUT', details: { parameter: 'revision' } });
    expect((await c.rest('GET', `/api/v1/flows/${NS}/missing`)).status).toBe(404);

    await eventually('the read model to list the flow', async () => ((await json(await c.rest('GET', `/api/v1/flows/${NS}`))) as any[]).some((f) => f.id === 'crud' && f.revision === 2));
    expect(await json(await c.rest('GET', `/api/v1/flows/search?namespace=${NS}&q=CRU&size=5`))).toMatchObject({ total: 1, results: [{ id: 'crud' }] });
    expect(((await json(await c.rest('GET', `/api/v1/flows/${NS}/crud/revisions`))) as any[]).map((f) => f.revision)).toEqual([1, 2]);

    const validated = await json(await c.rest('POST', '/api/v1/flows/validate', `${v1}---\nid: broken\nnamespace: ${NS}\ntasks:\n  - id: x\n    type: NoSuchTask\n`, yaml));
    expect(validated).toEqual([{ index: 0, namespace: NS, flow: 'crud' }, { index: 1, constraints: expect.stringMatching(/NoSuchTask/) }]);

    expect(await json(await c.rest('POST', '/api/v1/flows/disable/by-ids', [{ namespace: NS, id: 'crud' }]))).toEqual({ count: 1 });
    expect(await json(await c.rest('GET', `/api/v1/flows/${NS}/crud`))).toMatchObject({ disabled: true });
    expect(await json(await c.rest('POST', '/api/v1/flows/enable/by-ids', [{ namespace: NS, id: 'crud' }]))).toEqual({ count: 1 });
    expect(await json(await c.rest('GET', `/api/v1/flows/${NS}/crud`))).toMatchObject({ disabled: false });

    const deleted = await c.rest('DELETE', `/api/v1/flows/${NS}/crud`);
    expect(deleted.status).toBe(204);
    expect(await json(await c.rest('GET', `/api/v1/flows/${NS}/crud`))).toMatchObject({ deleted: true });
  });

  it('unknown paths and methods answer Kestra-shaped JSON errors; wrong query types are 400 naming the parameter', async () => {
    const c = client();
    const missing = await c.rest('GET', '/api/v1/no-such-route');
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ code: 'NOT_FOUND', message: 'Not Found', _links: { self: { href: '/api/v1/no-such-route' } }, _embedded: { errors: [{ message: expect.any(String) }] } });
    // The OpenAPI document of these routes, without a token.
    const openapi = await fetch(`${c.url}/api/v1/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(await json(openapi)).toMatchObject({ openapi: '3.1.0', paths: { '/api/v1/executions/search': { get: expect.any(Object) }, '/api/v1/flows/{namespace}/{id}': { put: expect.any(Object) } } });
    const wrongMethod = await c.rest('PATCH', `/api/v1/flows/${NS}/crud`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('DELETE, GET, PUT');
    expect(await json(wrongMethod)).toMatchObject({ code: 'METHOD_NOT_ALLOWED', message: 'Method Not Allowed' });
    for (const [path, parameter] of [['/api/v1/executions/search?size=ten', 'size'], ['/api/v1/executions/search?page=0', 'page'], ['/api/v1/executions/search?state=NOPE', 'state'], ['/api/v1/executions/search?startDate=yesterday', 'startDate'], ['/api/v1/executions/x?minRevision=-1', 'minRevision'], ['/api/v1/triggers/search?size=1.5', 'size']] as const) {
      const res = await c.rest('GET', path);
      expect(res.status, path).toBe(400);
      expect(await json(res), path).toMatchObject({ code: 'BAD_USER_INPUT', details: { parameter } });
    }
  });

  it('executions: start with wait=true, get at minRevision, search with filters and pages, logs and their download, follow, replay', async () => {
    const c = client();
    await c.rest('POST', '/api/v1/flows', `id: logs\nnamespace: ${NS}\ntasks:\n  - id: first\n    type: Log\n    message: first line\n  - id: second\n    type: Log\n    level: WARN\n    message: second line\n`, yaml);
    const waited = await c.rest('POST', `/api/v1/executions/${NS}/logs?wait=true&labels=run:one`, {});
    expect(waited.status).toBe(200);
    const done = await json(waited);
    expect(done.state.current).toBe('SUCCESS');
    const got = await c.rest('GET', `/api/v1/executions/${done.id}?minRevision=${done.revision}`);
    expect(await json(got)).toMatchObject({ id: done.id, revision: done.revision, state: { current: 'SUCCESS' } });
    expect((await c.rest('POST', `/api/v1/executions/${NS}/logs?wait=maybe`, {})).status).toBe(400);
    const second = await json(await c.rest('POST', `/api/v1/executions/${NS}/logs?wait=true&labels=run:two`, {}));

    await eventually('both in the search', async () => (await json(await c.rest('GET', `/api/v1/executions/search?namespace=${NS}&flowId=logs&state=SUCCESS`))).total === 2);
    const page1 = await json(await c.rest('GET', `/api/v1/executions/search?namespace=${NS}&flowId=logs&size=1`));
    const page2 = await json(await c.rest('GET', `/api/v1/executions/search?namespace=${NS}&flowId=logs&size=1&page=2`));
    expect([page1.results[0].id, page2.results[0].id]).toEqual([second.id, done.id]);
    expect(page1).toMatchObject({ total: 2, nextCursor: expect.any(String) });
    expect((await json(await c.rest('GET', `/api/v1/executions/search?namespace=${NS}&flowId=logs&size=1&after=${page1.nextCursor}`))).results[0].id).toBe(done.id);
    expect((await json(await c.rest('GET', `/api/v1/executions/search?namespace=${NS}&labels=run:one`))).results.map((e: any) => e.id)).toEqual([done.id]);
    expect((await json(await c.rest('GET', `/api/v1/executions/search?namespace=${NS}&flowId=logs&page=9`))).results).toEqual([]);

    const logs = await eventually('the logs', async () => {
      const lines = (await json(await c.rest('GET', `/api/v1/logs/${done.id}`))) as any[];
      return lines.length >= 2 ? lines : undefined;
    });
    expect(logs.map((l) => l.message)).toEqual(expect.arrayContaining(['first line', 'second line']));
    expect(logs[0]).toMatchObject({ namespace: NS, flowId: 'logs', executionId: done.id });
    expect(((await json(await c.rest('GET', `/api/v1/logs/${done.id}?minLevel=WARN`))) as any[]).map((l) => l.message)).toEqual(['second line']);
    expect(((await json(await c.rest('GET', `/api/v1/logs/${done.id}?taskId=first`))) as any[]).map((l) => l.message)).toEqual(['first line']);
    expect((await c.rest('GET', `/api/v1/logs/${done.id}?minLevel=LOUD`)).status).toBe(400);
    const download = await c.rest('GET', `/api/v1/logs/${done.id}/download`);
    expect(download.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await download.text()).toMatch(/INFO .*first first line\n.*WARN .*second second line\n/s);

    // Log follow stays open (lines may come after the end): read until both lines came, then close.
    const abort = new AbortController();
    const logFollow = await fetch(`${c.url}/api/v1/logs/${done.id}/follow`, { headers: { authorization: `Bearer ${c.token}` }, signal: abort.signal });
    expect(logFollow.headers.get('content-type')).toMatch(/text\/event-stream/);
    let streamed = '';
    const reader = logFollow.body!.getReader();
    while (!streamed.includes('second line')) streamed += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    expect(streamed).toMatch(/^id: \d+\nevent: log\ndata: .*"message":"first line"/);
    const resumeAfter = /^id: (\d+)/.exec(streamed)![1];
    const resumed = new AbortController();
    const rest = await fetch(`${c.url}/api/v1/logs/${done.id}/follow`, { headers: { authorization: `Bearer ${c.token}`, 'last-event-id': resumeAfter! }, signal: resumed.signal });
    const firstChunk = new TextDecoder().decode((await rest.body!.getReader().read()).value);
    resumed.abort();
    expect(firstChunk).toContain('second line');
    expect(firstChunk).not.toContain('first line');

    const follow = await c.rest('GET', `/api/v1/executions/${done.id}/follow`);
    expect(follow.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await follow.text();
    expect(events).toMatch(/^id: 0\nevent: ExecutionCreated\n/);
    expect(events).toMatch(/event: (ExecutionSucceeded|ExecutionStateChanged)\n/);

    const firstRun = done.taskRunList.find((t: any) => t.taskId === 'second');
    const replayed = await json(await c.rest('POST', `/api/v1/executions/${done.id}/replay?taskRunId=${firstRun.id}&revision=1`));
    expect(replayed).toMatchObject({ originalId: done.id, flowRevision: 1 });
    const replayDone = await untilRest(c, replayed.id, 'the replay to end', (e) => e.state.current === 'SUCCESS');
    expect(replayDone.taskRunList.map((t: any) => t.taskId)).toEqual(['first', 'second']);
    expect((await c.rest('POST', `/api/v1/executions/${done.id}/replay?taskRunId=nope`)).status).toBe(400);
    const byTask = await json(await c.rest('POST', `/api/v1/executions/${done.id}/replay?taskId=second`));
    expect(byTask.originalId).toBe(done.id);
  });

  it('control: pause, kill, restart, resume (approve and reject)', async () => {
    const c = client();
    await c.rest('POST', '/api/v1/flows', `id: napping\nnamespace: ${NS}\ntasks:\n  - id: nap\n    type: Sleep\n    duration: PT3S\n  - id: after\n    type: Log\n    message: awake\n`, yaml);
    const napping = await json(await c.rest('POST', `/api/v1/executions/${NS}/napping`, {}));
    await untilRest(c, napping.id, 'RUNNING', (e) => e.state.current === 'RUNNING');
    const paused = await c.rest('POST', `/api/v1/executions/${napping.id}/pause`);
    expect(paused.status).toBe(200);
    const pausedBody = await json(paused);
    expect(pausedBody.state.current).toBe('PAUSED');
    expect(pausedBody.revision).toBeGreaterThan(napping.revision);
    expect(await json(await c.rest('GET', `/api/v1/executions/${napping.id}?minRevision=${pausedBody.revision}`))).toMatchObject({ state: { current: 'PAUSED' } });
    const killed = await c.rest('DELETE', `/api/v1/executions/${napping.id}/kill`);
    expect(killed.status).toBe(202);
    await untilRest(c, napping.id, 'KILLED', (e) => e.state.current === 'KILLED');
    expect((await c.rest('POST', `/api/v1/executions/${napping.id}/pause`)).status).toBe(409);
    const restarted = await c.rest('POST', `/api/v1/executions/${napping.id}/restart`);
    expect(restarted.status).toBe(200);
    expect(['RESTARTED', 'RUNNING']).toContain((await json(restarted)).state.current);
    await untilRest(c, napping.id, 'the restart to succeed', (e) => e.state.current === 'SUCCESS');

    await c.rest('POST', '/api/v1/flows', `id: approval\nnamespace: ${NS}\ntasks:\n  - id: wait\n    type: Pause\n  - id: after\n    type: Log\n    message: resumed\n`, yaml);
    const approved = await json(await c.rest('POST', `/api/v1/executions/${NS}/approval`, {}));
    const rejected = await json(await c.rest('POST', `/api/v1/executions/${NS}/approval`, {}));
    await untilRest(c, approved.id, 'PAUSED', (e) => e.state.current === 'PAUSED');
    await untilRest(c, rejected.id, 'PAUSED', (e) => e.state.current === 'PAUSED');
    expect((await c.rest('POST', `/api/v1/executions/${approved.id}/resume`)).status).toBe(200);
    expect((await c.rest('POST', `/api/v1/executions/${rejected.id}/resume?approve=no`)).status).toBe(400);
    expect((await c.rest('POST', `/api/v1/executions/${rejected.id}/resume?approve=false`)).status).toBe(200);
    expect((await untilTerminal(c, approved.id)).state).toBe('SUCCESS');
    expect((await untilTerminal(c, rejected.id)).state).toBe('FAILED');

    const live = await json(await c.rest('POST', `/api/v1/executions/${NS}/approval`, {}));
    await untilRest(c, live.id, 'PAUSED', (e) => e.state.current === 'PAUSED');
    expect((await c.rest('DELETE', `/api/v1/executions/${live.id}`)).status).toBe(409);
    await c.rest('DELETE', `/api/v1/executions/${live.id}/kill`);
    await untilRest(c, approved.id, 'projected', (e) => e.state.current === 'SUCCESS');
    expect((await c.rest('DELETE', `/api/v1/executions/${approved.id}`)).status).toBe(204);
    expect((await c.rest('GET', `/api/v1/executions/${approved.id}`)).status).toBe(404);
    expect((await c.rest('DELETE', `/api/v1/executions/${approved.id}`)).status).toBe(404);
  });

  it('triggers: search, a flow\'s triggers, set-disabled, backfill', async () => {
    const c = client();
    await c.rest('POST', '/api/v1/flows', `id: nightly\nnamespace: ${NS}\ntasks:\n  - id: hello\n    type: Log\n    message: night\ntriggers:\n  - id: daily\n    type: Schedule\n    cron: "0 3 * * *"\n`, yaml);
    await eventually('the trigger listed', async () => (await json(await c.rest('GET', `/api/v1/triggers/search?namespace=${NS}`))).total === 1);
    expect(await json(await c.rest('GET', `/api/v1/triggers/${NS}/nightly`))).toMatchObject({ total: 1, results: [{ id: 'daily' }] });
    const ref = { namespace: NS, flowId: 'nightly', triggerId: 'daily' };
    expect(await json(await c.rest('POST', '/api/v1/triggers/set-disabled/by-triggers', { triggers: [ref], disabled: true }))).toEqual({ count: 1 });
    expect((await json(await c.rest('GET', `/api/v1/triggers/${NS}/nightly`))).results[0]).toMatchObject({ enabled: false });
    expect(await json(await c.rest('POST', '/api/v1/triggers/set-disabled/by-triggers', { triggers: [ref], disabled: false }))).toEqual({ count: 1 });
    const backfill = await json(await c.rest('PUT', '/api/v1/triggers', { ...ref, backfill: { start: '2025-03-01T00:00:00Z', end: '2025-03-03T00:00:00Z' } }));
    expect(backfill.started).toHaveLength(2);
    expect((await c.rest('PUT', '/api/v1/triggers', ref)).status).toBe(400);
  });
}
