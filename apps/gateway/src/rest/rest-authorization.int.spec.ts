import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, TOKENS, type GatewayHarness } from '../test-support/gateway.harness.js';

const flow = (namespace: string, id: string) => `id: ${id}\nnamespace: ${namespace}\ntasks:\n  - id: hello\n    type: Log\n    message: hi\ntriggers:\n  - id: daily\n    type: Schedule\n    cron: "0 3 * * *"\n`;

/** Every REST route decides with `authorize`: roles, and a namespace-limited token sees nothing of other namespaces. */
describe('REST routes and authorization', () => {
  let h: GatewayHarness;
  let teamId: string;
  let otherId: string;
  const call = (token: string, method: string, path: string, body?: string, type = 'application/json') =>
    fetch(`${h.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': type } : {}) }, body });

  beforeAll(async () => {
    h = await startGateway();
    for (const [ns, id] of [['team', 'mine'], ['other', 'theirs']] as const) expect((await call(TOKENS.ADMIN, 'POST', '/api/v1/flows', flow(ns, id), 'application/x-yaml')).status).toBe(200);
    teamId = ((await (await call(TOKENS.ADMIN, 'POST', '/api/v1/executions/team/mine', '{}')).json()) as { id: string }).id;
    otherId = ((await (await call(TOKENS.ADMIN, 'POST', '/api/v1/executions/other/theirs', '{}')).json()) as { id: string }).id;
    await h.settle();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a namespace-limited token lists only its namespace and finds nothing of another one', async () => {
    const team = TOKENS.TEAM_OPERATOR;
    const search = (await (await call(team, 'GET', '/api/v1/executions/search')).json()) as { results: { id: string }[]; total: number };
    expect(search.results.map((e) => e.id)).toEqual([teamId]);
    expect((await call(team, 'GET', '/api/v1/executions/search?namespace=other')).status).toBe(403);
    expect((await call(team, 'GET', `/api/v1/executions/${teamId}`)).status).toBe(200);
    for (const [method, path] of [['GET', `/api/v1/executions/${otherId}`], ['GET', `/api/v1/logs/${otherId}`], ['GET', `/api/v1/logs/${otherId}/download`], ['GET', `/api/v1/logs/${otherId}/follow`], ['GET', `/api/v1/executions/${otherId}/follow`],
      ['POST', `/api/v1/executions/${otherId}/pause`], ['DELETE', `/api/v1/executions/${otherId}/kill`], ['POST', `/api/v1/executions/${otherId}/restart`], ['POST', `/api/v1/executions/${otherId}/resume`], ['POST', `/api/v1/executions/${otherId}/replay`]] as const) {
      expect((await call(team, method, path)).status, `${method} ${path}`).toBe(404);
    }
    expect(((await (await call(team, 'GET', '/api/v1/flows/search')).json()) as { results: { id: string }[] }).results.map((f) => f.id)).toEqual(['mine']);
    expect((await call(team, 'GET', '/api/v1/flows/other/theirs')).status).toBe(403);
    expect((await call(team, 'GET', '/api/v1/flows/other')).status).toBe(403);
    expect(((await (await call(team, 'GET', '/api/v1/triggers/search')).json()) as { results: { flowId: string }[] }).results.map((t) => t.flowId)).toEqual(['mine']);
    expect((await call(team, 'GET', '/api/v1/triggers/other/theirs')).status).toBe(403);
    expect((await call(team, 'POST', '/api/v1/executions/other/theirs', '{}')).status).toBe(403);
  });

  it('roles: a VIEWER reads but starts nothing, an OPERATOR deploys and deletes nothing', async () => {
    expect((await call(TOKENS.VIEWER, 'GET', `/api/v1/executions/${teamId}`)).status).toBe(200);
    expect((await call(TOKENS.VIEWER, 'POST', '/api/v1/executions/team/mine', '{}')).status).toBe(403);
    expect((await call(TOKENS.VIEWER, 'POST', `/api/v1/executions/${teamId}/pause`)).status).toBe(403);
    expect((await call(TOKENS.OPERATOR, 'POST', '/api/v1/flows', flow('team', 'new'), 'application/x-yaml')).status).toBe(403);
    expect((await call(TOKENS.OPERATOR, 'PUT', '/api/v1/flows/team/mine', flow('team', 'mine').replace('hi', 'ho'), 'application/x-yaml')).status).toBe(403);
    expect((await call(TOKENS.OPERATOR, 'DELETE', '/api/v1/flows/team/mine')).status).toBe(403);
    expect((await call(TOKENS.OPERATOR, 'POST', '/api/v1/flows/disable/by-ids', JSON.stringify([{ namespace: 'team', id: 'mine' }]))).status).toBe(403);
    expect((await call(TOKENS.OPERATOR, 'POST', '/api/v1/triggers/set-disabled/by-triggers', JSON.stringify({ triggers: [{ namespace: 'team', flowId: 'mine', triggerId: 'daily' }], disabled: true }))).status).toBe(403);
    expect((await call(TOKENS.OPERATOR, 'DELETE', `/api/v1/executions/${teamId}`)).status).toBe(403);
    expect((await call(TOKENS.EDITOR, 'POST', '/api/v1/flows/validate', flow('team', 'x'), 'application/x-yaml')).status).toBe(200);
    expect((await fetch(`${h.url}/api/v1/executions/search`)).status).toBe(401);
  });
});
