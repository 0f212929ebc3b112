import { describe, expect, it } from 'vitest';
import { REST_CONTROLLERS } from '../rest/rest-controllers.js';
import { restOperations } from '../openapi/openapi-document.js';
import { isWebhookCall, restStartNamespace } from './start-requests.js';

const START = 'ExecutionsController.start';
const WEBHOOK = 'WebhookController.';

/** A request path for a route, each `{param}` filled with `value`. */
const sample = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);

describe('which raw requests start an execution (the refusal ahead of Express)', () => {
  const operations = restOperations(REST_CONTROLLERS);

  it('of every route the controllers declare, only the REST start is taken for one, whatever its parameters hold', () => {
    expect(operations.filter((op) => op.handler === START)).toHaveLength(1);
    // The words of the literal segments too: `/{id}/pause` with id "restart", `/{namespace}/{flowId}` with "pause"...
    const literals = [...new Set(operations.flatMap((op) => op.path.split('/')).filter((s) => s && !s.startsWith('{')))];
    for (const op of operations) {
      if (op.handler === START) continue;
      for (const value of ['x1', 'ns.a', ...literals]) {
        const url = sample(op.path, value);
        // A start's own path with those words is routed to the start: only another route's own shape counts here.
        if (operations.some((other) => other.handler === START && sample(other.path, value) === url)) continue;
        expect(restStartNamespace(op.method.toUpperCase(), url), `${op.method} ${url} (${op.handler})`).toBeUndefined();
        expect(restStartNamespace(op.method.toUpperCase(), `${url}/?wait=true`), `${op.method} ${url}/ (${op.handler})`).toBeUndefined();
      }
    }
  });

  it('a REST start is told by method and two segments, case-insensitively, with a query or a trailing slash; its namespace decoded', () => {
    expect(restStartNamespace('POST', '/api/v1/executions/company.team/hello')).toBe('company.team');
    expect(restStartNamespace('POST', '/api/v1/executions/company.team/hello?wait=true&labels=a:b')).toBe('company.team');
    expect(restStartNamespace('POST', '/API/V1/Executions/company.team/hello/')).toBe('company.team');
    expect(restStartNamespace('POST', '/api/v1/executions/team%2Ea/hello')).toBe('team.a');
    // Shadowed by a control or bulk route (REST_CONTROLLERS's order): not a start.
    expect(restStartNamespace('POST', '/api/v1/executions/5f0c/Restart')).toBeUndefined();
    expect(restStartNamespace('POST', '/api/v1/executions/labels/by-query')).toBeUndefined();
    // But a namespace named like a command with another flow id is one.
    expect(restStartNamespace('POST', '/api/v1/executions/pause/nightly')).toBe('pause');
    // Other methods, one or three segments, an empty segment, a malformed escape: not (Express decides).
    expect(restStartNamespace('GET', '/api/v1/executions/company.team/hello')).toBeUndefined();
    expect(restStartNamespace('PUT', '/api/v1/executions/company.team/hello')).toBeUndefined();
    expect(restStartNamespace('POST', '/api/v1/executions/company.team')).toBeUndefined();
    expect(restStartNamespace('POST', '/api/v1/executions/a/b/c')).toBeUndefined();
    expect(restStartNamespace('POST', '/api/v1/executions//hello')).toBeUndefined();
    expect(restStartNamespace('POST', '/api/v1/executions/a//')).toBeUndefined();
    expect(restStartNamespace('POST', '/api/v1/executions/%E0%A4%A/hello')).toBeUndefined();
    expect(restStartNamespace('POST', '/api/v1/flows/company.team/hello')).toBeUndefined();
  });

  it('every webhook route is a webhook call, no other route is', () => {
    for (const op of operations) {
      expect(isWebhookCall(sample(op.path, 'x1')), `${op.method} ${op.path}`).toBe(op.handler.startsWith(WEBHOOK));
    }
  });
});
