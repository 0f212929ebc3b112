import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';

const NS = 'rest.bulk';
const yaml = { 'content-type': 'application/x-yaml' };
const json = async (res: Response): Promise<any> => res.json();

async function stateOf(c: GatewayClient, id: string): Promise<string> {
  return (await json(await c.rest('GET', `/api/v1/executions/${id}`))).state.current;
}

async function until(c: GatewayClient, id: string, state: string): Promise<void> {
  await eventually(`${id} ${state}`, async () => (await stateOf(c, id)) === state);
}

/** Until the read model lists `ids` in `state` (by-query selects from it). */
async function listed(c: GatewayClient, query: string, count: number): Promise<void> {
  await eventually(`${count} listed for ${query}`, async () => (await json(await c.rest('GET', `/api/v1/executions/search?${query}&size=100`))).total === count);
}

/** Kestra's bulk routes by ids and by query, and the KV API (REST parity, issue 16). */
export function restBulkAndKvScenario(client: () => GatewayClient): void {
  it('bulk by ids: pause, resume, kill, restart, labels, replay, delete; all-or-nothing with Kestra\'s BulkErrorResponse', async () => {
    const c = client();
    await c.rest('POST', '/api/v1/flows', `id: gate\nnamespace: ${NS}\ntasks:\n  - id: wait\n    type: Pause\n  - id: after\n    type: Log\n    message: passed\n`, yaml);
    const [a, b, live] = [
      await json(await c.rest('POST', `/api/v1/executions/${NS}/gate`, {})), await json(await c.rest('POST', `/api/v1/executions/${NS}/gate`, {})), await json(await c.rest('POST', `/api/v1/executions/${NS}/gate`, {})),
    ];
    for (const e of [a, b, live]) await until(c, e.id, 'PAUSED');

    // One unknown id: nothing is done, and the answer says which and why.
    const refused = await c.rest('POST', '/api/v1/executions/resume/by-ids', [a.id, 'no-such-execution']);
    expect(refused.status).toBe(400);
    expect(await json(refused)).toEqual({ code: 'BAD_USER_INPUT', message: 'invalid bulk resume', invalids: [{ message: 'execution not found', invalidValue: 'no-such-execution', propertyPath: 'execution', code: 'NOT_FOUND' }] });
    expect(await stateOf(c, a.id)).toBe('PAUSED');

    expect(await json(await c.rest('POST', '/api/v1/executions/resume/by-ids', [a.id]))).toEqual({ count: 1 });
    expect((await untilTerminal(c, a.id)).state).toBe('SUCCESS');
    // An ended execution refuses a kill: CONFLICT names the state.
    const ended = await json(await c.rest('DELETE', '/api/v1/executions/kill/by-ids', [a.id, b.id]));
    expect(ended.invalids).toEqual([expect.objectContaining({ invalidValue: a.id, code: 'CONFLICT', message: expect.stringContaining('SUCCESS') })]);
    expect(await json(await c.rest('DELETE', '/api/v1/executions/kill/by-ids', [b.id]))).toEqual({ count: 1 });
    await until(c, b.id, 'KILLED');
    expect(await json(await c.rest('POST', '/api/v1/executions/restart/by-ids', [b.id]))).toEqual({ count: 1 });
    // The killed Pause task is run again: a restarted Pause passes (as in Kestra).
    await until(c, b.id, 'SUCCESS');

    const labelled = await c.rest('POST', '/api/v1/executions/labels/by-ids', { executionsId: [a.id, b.id], executionLabels: [{ key: 'batch', value: 'one' }] });
    expect(await json(labelled)).toEqual({ count: 2 });
    await eventually('the labels', async () => (await json(await c.rest('GET', `/api/v1/executions/${b.id}`))).labels.some((l: any) => l.key === 'batch' && l.value === 'one'));

    const replayed = await json(await c.rest('POST', '/api/v1/executions/replay/by-ids', [a.id]));
    expect(replayed).toEqual({ count: 1 });
    await listed(c, `namespace=${NS}&flowId=gate&originalId=${a.id}`, 2);

    // Delete: only ended executions, Kestra's options only as Chronicle does them.
    expect((await json(await c.rest('DELETE', '/api/v1/executions/by-ids', [a.id, live.id]))).invalids).toEqual([expect.objectContaining({ invalidValue: live.id, code: 'CONFLICT' })]);
    const partial = await c.rest('DELETE', '/api/v1/executions/by-ids?deleteLogs=false', [a.id]);
    expect(partial.status).toBe(400);
    expect(await json(partial)).toMatchObject({ code: 'BAD_USER_INPUT', details: { parameter: 'deleteLogs' } });
    await listed(c, `namespace=${NS}&flowId=gate&state=SUCCESS&originalId=${a.id}`, 1);
    expect(await json(await c.rest('DELETE', '/api/v1/executions/by-ids', [a.id]))).toEqual({ count: 1 });
    expect((await c.rest('GET', `/api/v1/executions/${a.id}`)).status).toBe(404);

    // Bad bodies name what to fix.
    for (const [method, path, body] of [['POST', '/api/v1/executions/pause/by-ids', { ids: [a.id] }], ['POST', '/api/v1/executions/labels/by-ids', { executionsId: [b.id], executionLabels: { batch: 'x' } }], ['POST', '/api/v1/executions/labels/by-ids', { executionIds: [b.id] }]] as const) {
      const res = await c.rest(method, path, body);
      expect(res.status, path).toBe(400);
      expect((await json(res)).code).toBe('BAD_USER_INPUT');
    }
    expect(await json(await c.rest('DELETE', '/api/v1/executions/kill/by-ids', [live.id]))).toEqual({ count: 1 });
  });

  it('bulk by query: the search\'s filters select, an unknown or unsupported filter is a 400 naming it', async () => {
    const c = client();
    await c.rest('POST', '/api/v1/flows', `id: hold\nnamespace: ${NS}.query\ntasks:\n  - id: wait\n    type: Pause\n`, yaml);
    const held = [];
    for (const tag of ['x', 'x', 'y']) held.push(await json(await c.rest('POST', `/api/v1/executions/${NS}.query/hold?labels=tag:${tag}`, {})));
    for (const e of held) await until(c, e.id, 'PAUSED');
    await listed(c, `namespace=${NS}.query&state=PAUSED`, 3);

    expect(await json(await c.rest('POST', `/api/v1/executions/labels/by-query?namespace=${NS}.query&labels=tag:x`, [{ key: 'picked', value: 'yes' }]))).toEqual({ count: 2 });
    await listed(c, `namespace=${NS}.query&labels=picked:yes`, 2);
    expect(await json(await c.rest('DELETE', `/api/v1/executions/kill/by-query?namespace=${NS}.query&labels=picked:yes&timeRange=PT1H`))).toEqual({ count: 2 });
    await listed(c, `namespace=${NS}.query&state=KILLED`, 2);
    // The query matches nothing: nothing to do, count 0.
    for (const verb of ['resume', 'pause', 'restart', 'replay']) {
      expect(await json(await c.rest('POST', `/api/v1/executions/${verb}/by-query?namespace=${NS}.query&flowId=none`)), verb).toEqual({ count: 0 });
    }
    // Replay by query: the killed ones, as new executions of the same originals.
    expect(await json(await c.rest('POST', `/api/v1/executions/replay/by-query?namespace=${NS}.query&state=KILLED`))).toEqual({ count: 2 });
    await listed(c, `namespace=${NS}.query&state=PAUSED&labels=picked:yes`, 2);
    expect(await json(await c.rest('DELETE', `/api/v1/executions/kill/by-query?namespace=${NS}.query&labels=picked:yes&state=PAUSED`))).toEqual({ count: 2 });
    await listed(c, `namespace=${NS}.query&state=KILLED`, 4);

    for (const [query, parameter] of [['namespce=x', 'namespce'], ['q=hold', 'q'], ['state=SLEEPY', 'state'], ['timeRange=soon', 'timeRange'], ['startDate=2020-01-01T00:00:00Z&timeRange=PT1H', 'timeRange'], ['endDate=yesterday', 'endDate']] as const) {
      const res = await c.rest('DELETE', `/api/v1/executions/kill/by-query?${query}`);
      expect(res.status, query).toBe(400);
      expect(await json(res), query).toMatchObject({ code: 'BAD_USER_INPUT', details: { parameter } });
    }
    expect(await stateOf(c, held[2].id)).toBe('PAUSED');
    expect(await json(await c.rest('POST', `/api/v1/executions/resume/by-query?namespace=${NS}.query&state=PAUSED`))).toEqual({ count: 1 });
    expect((await untilTerminal(c, held[2].id)).state).toBe('SUCCESS');
    await listed(c, `namespace=${NS}.query&state=SUCCESS`, 1);
    expect(await json(await c.rest('DELETE', `/api/v1/executions/by-query?namespace=${NS}.query&state=SUCCESS&deleteLogs=true`))).toEqual({ count: 1 });
    expect((await c.rest('GET', `/api/v1/executions/${held[2].id}`)).status).toBe(404);
  });

  it('KV: put typed values with a TTL, get them typed, list, delete one and several', async () => {
    const c = client();
    const kv = `/api/v1/namespaces/${NS}/kv`;
    const put = (key: string, body: string, headers: Record<string, string> = {}) => c.rest('PUT', `${kv}/${key}`, body, { 'content-type': 'application/json', ...headers });
    expect((await put('text', '"hello"')).status).toBe(200);
    expect((await put('count', '42')).status).toBe(200);
    expect((await put('flag', 'true')).status).toBe(200);
    expect((await put('doc', '{"a":[1,2]}')).status).toBe(200);
    expect((await put('when', '2025-03-01T10:00:00Z')).status).toBe(200);
    expect((await c.rest('PUT', `${kv}/plain`, '"as text"', { 'content-type': 'text/plain' })).status).toBe(200);
    expect((await put('brief', '"gone soon"', { ttl: 'PT1H' })).status).toBe(200);

    expect(await json(await c.rest('GET', `${kv}/text`))).toEqual({ type: 'STRING', value: 'hello' });
    expect(await json(await c.rest('GET', `${kv}/count`))).toEqual({ type: 'NUMBER', value: 42 });
    expect(await json(await c.rest('GET', `${kv}/flag`))).toEqual({ type: 'BOOLEAN', value: true });
    expect(await json(await c.rest('GET', `${kv}/doc`))).toEqual({ type: 'JSON', value: { a: [1, 2] } });
    expect(await json(await c.rest('GET', `${kv}/when`))).toEqual({ type: 'DATETIME', value: '2025-03-01T10:00:00Z' });
    expect(await json(await c.rest('GET', `${kv}/plain`))).toEqual({ type: 'STRING', value: 'as text' });

    const entries = (await json(await c.rest('GET', kv))) as any[];
    expect(entries.map((e) => e.key)).toEqual(['brief', 'count', 'doc', 'flag', 'plain', 'text', 'when']);
    const brief = entries.find((e) => e.key === 'brief');
    expect(Date.parse(brief.expirationDate) - Date.parse(brief.updateDate)).toBe(3_600_000);
    expect(entries.find((e) => e.key === 'text').expirationDate).toBeNull();

    // A flow reads what the API wrote.
    await c.rest('POST', '/api/v1/flows', `id: reader\nnamespace: ${NS}\ntasks:\n  - id: get\n    type: io.kestra.plugin.core.kv.Get\n    key: count\n`, yaml);
    const run = await json(await c.rest('POST', `/api/v1/executions/${NS}/reader?wait=true`, {}));
    expect(run.taskRunList[0].outputs).toEqual({ value: 42 });

    expect(await json(await c.rest('DELETE', `${kv}/text`))).toBe(true);
    expect(await json(await c.rest('DELETE', `${kv}/text`))).toBe(false);
    expect((await c.rest('GET', `${kv}/text`)).status).toBe(404);
    expect(await json(await c.rest('DELETE', kv, { keys: ['count', 'flag', 'missing'] }))).toEqual({ keys: ['count', 'flag'] });

    for (const [res, field] of [
      [await put('bad', 'not json'), 'body'],
      [await put('ttl', '1', { ttl: 'an hour' }), undefined],
      [await put('bad$key', '1'), 'key'],
      [await c.rest('DELETE', kv, { names: ['x'] }), 'keys'],
    ] as const) {
      expect(res.status).toBe(400);
      const body = await json(res);
      expect(body.code).toBe('BAD_USER_INPUT');
      if (field === 'key') expect(body.details).toEqual({ parameter: 'key' });
      else if (field) expect(body.details).toEqual({ field });
      else expect(body.details).toEqual({ header: 'ttl' });
    }
  });
}
