import { expect, it } from 'vitest';
import { untilTerminal, type GatewayClient } from '@chronicle/testing';

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
    expect(started.inputs).toMatchObject({ name: 'multipart', count: 3, report: expect.stringMatching(/^chronicle:\/\/\/files\/[0-9a-f-]{36}$/) });
    // The live monitor's page of the execution (issue 15).
    expect(started.url).toBe(`${c.url}/executions/${started.id}`);
    expect((await untilTerminal(c, started.id)).state).toBe('SUCCESS');
    const fileId = String(started.inputs.report).split('/').pop();
    const file = await fetch(`${c.url}/api/v1/files/${fileId}`, { headers: { authorization: `Bearer ${c.token}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await file.text()).toBe('a,b\n1,2\n');
    expect((await fetch(`${c.url}/api/v1/files/${fileId}`)).status).toBe(401);

    const bad = await fetch(`${c.url}/api/v1/executions/rest.parity/upload?labels=nocolon`, { method: 'POST', headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(400);
  });
}
