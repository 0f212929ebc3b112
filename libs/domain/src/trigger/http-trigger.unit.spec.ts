import { describe, expect, it } from 'vitest';
import { parseTriggers } from './trigger.parser.js';
import type { HttpTrigger } from './trigger.model.js';
import { httpPollAllowed, httpPollKey, httpPollRequest, httpPollSlot, httpResponseMatches, type HttpPollScope } from './http-trigger.poll.js';
import { parseFlow } from '../flow/flow.parser.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const TYPE = 'io.kestra.plugin.core.http.Trigger';
const parse = (t: Record<string, unknown>) => parseTriggers([{ id: 'http', type: TYPE, ...t } as never]);
const http = (t: Record<string, unknown>): HttpTrigger => {
  const { triggers, issues } = parse(t);
  expect(issues).toEqual([]);
  return triggers[0] as HttpTrigger;
};
const issuesOf = (t: Record<string, unknown>) => parse(t).issues.map((i) => [i.path, i.message]);
const scope: HttpPollScope = { flow: { id: 'f', namespace: 'company.team', revision: 2 }, now: '2026-12-08T10:00:00.000Z' };

describe('HTTP polling trigger (io.kestra.plugin.core.http.Trigger): definition', () => {
  it("takes Kestra's defaults: every PT60S, GET, responseCondition {{ response.statusCode < 400 }}, no stopAfter", () => {
    const t = http({ uri: 'https://example.com/x' });
    expect(t).toMatchObject({ kind: 'Http', typeName: TYPE, intervalMs: 60_000, responseCondition: '{{ response.statusCode < 400 }}', stopAfter: [], conditions: [], request: { uri: 'https://example.com/x' } });
    expect(http({ uri: 'https://e.com' }).request.method).toBeUndefined();
  });

  it("accepts Kestra's alias io.kestra.plugin.fs.http.Trigger", () => {
    const { triggers, issues } = parseTriggers([{ id: 'h', type: 'io.kestra.plugin.fs.http.Trigger', uri: 'https://e.com' }]);
    expect(issues).toEqual([]);
    expect(triggers[0]!.kind).toBe('Http');
  });

  it('keeps each property: interval, responseCondition, stopAfter and the request (method, body, formData, contentType, headers, options)', () => {
    const t = http({
      uri: 'https://e.com/{{ flow.id }}', method: 'post', body: '{"a":1}', contentType: 'application/json', headers: { 'x-a': '{{ envs.token }}' },
      options: { readTimeout: 'PT5S' }, interval: 'PT30S', responseCondition: '{{ response.statusCode == 201 }}', stopAfter: ['SUCCESS', 'FAILED'], encryptBody: false,
    });
    expect(t.intervalMs).toBe(30_000);
    expect(t.responseCondition).toBe('{{ response.statusCode == 201 }}');
    expect(t.stopAfter).toEqual(['SUCCESS', 'FAILED']);
    expect(t.request).toEqual({ uri: 'https://e.com/{{ flow.id }}', method: 'post', body: '{"a":1}', contentType: 'application/json', headers: { 'x-a': '{{ envs.token }}' }, options: { readTimeout: 'PT5S' } });
    expect(http({ uri: 'https://e.com', method: 'PUT', formData: { a: 'b' } }).request.formData).toEqual({ a: 'b' });
  });

  it('refuses what it cannot run, each with its reason: encryptBody, sslOptions, a bad interval, a missing uri, a GET with a body, an unknown property', () => {
    expect(issuesOf({ uri: 'https://e.com', encryptBody: true })).toEqual([['triggers[0].encryptBody', expect.stringMatching(/not supported by Chronicle: Chronicle has no encrypted outputs/)]]);
    expect(issuesOf({ uri: 'https://e.com', sslOptions: { insecureTrustAllCertificates: true } })).toEqual([['triggers[0].sslOptions', expect.stringMatching(/not supported by Chronicle: .*certificate/)]]);
    expect(issuesOf({ uri: 'https://e.com', interval: 'soon' })).toEqual([['triggers[0].interval', expect.stringMatching(/ISO-8601 duration/)]]);
    expect(issuesOf({ uri: 'https://e.com', interval: 'PT0.5S' })).toEqual([['triggers[0].interval', expect.stringMatching(/at least PT1S/)]]);
    expect(issuesOf({})).toEqual([['triggers[0].uri', expect.stringMatching(/required/)]]);
    expect(issuesOf({ uri: 'https://e.com', body: 'x' })).toEqual([['triggers[0].body', expect.stringMatching(/GET request cannot have a body/)]]);
    expect(issuesOf({ uri: 'https://e.com', method: 'head', formData: { a: 'b' } })).toEqual([['triggers[0].formData', expect.stringMatching(/HEAD request cannot have a body/)]]);
    expect(issuesOf({ uri: 'https://e.com', method: 'FETCH' })).toEqual([['triggers[0].method', expect.stringMatching(/one of GET/)]]);
    expect(issuesOf({ uri: 'https://e.com', responseCondition: 3 })).toEqual([['triggers[0].responseCondition', expect.stringMatching(/an expression/)]]);
    expect(issuesOf({ uri: 'https://e.com', allowFailed: true })).toEqual([['triggers[0].allowFailed', expect.stringMatching(/unknown property "allowFailed"/)]]);
    expect(issuesOf({ uri: 'https://e.com', stopAfter: ['DONE'] })).toEqual([['triggers[0].stopAfter', 'unknown state "DONE"']]);
  });

  it('takes date conditions and Expression (judged before the request); refuses conditions that judge an execution', () => {
    const t = http({ uri: 'https://e.com', conditions: [{ type: 'io.kestra.plugin.core.condition.Weekend' }] });
    expect(t.conditions.map((c) => c.kind)).toEqual(['Weekend']);
    expect(issuesOf({ uri: 'https://e.com', conditions: [{ type: 'io.kestra.plugin.core.condition.ExecutionStatus', in: ['SUCCESS'] }] }))
      .toEqual([['triggers[0].conditions', expect.stringMatching(/ExecutionStatus judges an execution; an HTTP poll has none/)]]);
  });

  it("checks the request with the Request task's own validator when given (deploy has the task catalog)", () => {
    const { issues } = parseTriggers([{ id: 'h', type: TYPE, uri: 'https://e.com', options: { proxyType: 'HTTP' } }], () => [{ path: ['options', 'proxyType'], message: 'is not supported by Chronicle: no proxy' }]);
    expect(issues).toEqual([{ path: 'triggers[0].options.proxyType', message: 'is not supported by Chronicle: no proxy' }]);
  });

  it('stopAfter stays refused on the kinds that do not take it', () => {
    expect(parseTriggers([{ id: 'w', type: 'Webhook', key: 'k', stopAfter: ['SUCCESS'] }]).issues[0]!.message).toBe('stopAfter is supported on Schedule and HTTP triggers only');
  });

  // core/src/test/resources/flows/valids/http-listen.yaml and http-listen-encrypted.yaml (TriggerTest.java): the suite
  // cannot point them at a local server (their uri is on the internet), so their parse is checked here.
  it("parses Kestra's http-listen flow; refuses http-listen-encrypted for its encryptBody", () => {
    const listen = `id: http-listen
namespace: io.kestra.tests

triggers:
  - id: http
    type: io.kestra.plugin.fs.http.Trigger
    uri: https://api.chucknorris.io/jokes/random
    responseCondition: "{{ response.statusCode == 200 }}"
    interval: PT10S

tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Kestra team wishes you a great day! 👋
`;
    const flow = parseFlow(listen, CORE_TASK_CATALOG);
    const t = parseTriggers(flow.triggers).triggers[0] as HttpTrigger;
    expect(t).toMatchObject({ kind: 'Http', intervalMs: 10_000, responseCondition: '{{ response.statusCode == 200 }}', request: { uri: 'https://api.chucknorris.io/jokes/random' } });
    const encrypted = listen.replace('id: http-listen', 'id: http-listen-encrypted').replace('    uri:', '    encryptBody: true\n    uri:')
      .replace('"{{ response.statusCode == 200 }}"', '"{{ json(response.body).id is not null }}"');
    expect(() => parseFlow(encrypted, CORE_TASK_CATALOG)).toThrow(/encryptBody.*not supported by Chronicle: Chronicle has no encrypted outputs/s);
  });
});

describe('HTTP polling trigger: a poll', () => {
  it('renders the request with the flow, envs, globals and secret()', () => {
    const t = http({ uri: 'http://127.0.0.1/{{ flow.namespace }}/{{ flow.id }}', headers: { authorization: "Bearer {{ secret('TOKEN') }}", 'x-env': '{{ envs.region }}', 'x-g': '{{ globals.team }}' } });
    const request = httpPollRequest(t, { ...scope, envs: { region: 'eu' }, globals: { team: 'ops' }, host: { secret: ({ key }) => `s3cr3t-${key}` } });
    expect(request).toEqual({ uri: 'http://127.0.0.1/company.team/f', headers: { authorization: 'Bearer s3cr3t-TOKEN', 'x-env': 'eu', 'x-g': 'ops' } });
  });

  it('judges responseCondition with response.statusCode, response.body (text) and response.headers, as TruthUtils does', () => {
    const response = { statusCode: 503, body: '{"price": 99}', headers: { 'x-ready': ['yes'] } };
    expect(httpResponseMatches(http({ uri: 'https://e.com' }), response, scope)).toBe(false);
    expect(httpResponseMatches(http({ uri: 'https://e.com' }), { ...response, statusCode: 200 }, scope)).toBe(true);
    expect(httpResponseMatches(http({ uri: 'https://e.com', responseCondition: '{{ json(response.body).price <= 110 }}' }), response, scope)).toBe(true);
    expect(httpResponseMatches(http({ uri: 'https://e.com', responseCondition: "{{ response.headers['x-ready'][0] == 'yes' }}" }), response, scope)).toBe(true);
    // TruthUtils: "0", "-0", "" and "false" are false; any other text is true.
    expect(httpResponseMatches(http({ uri: 'https://e.com', responseCondition: '{{ 0 }}' }), response, scope)).toBe(false);
    expect(httpResponseMatches(http({ uri: 'https://e.com', responseCondition: 'no' }), response, scope)).toBe(true);
  });

  it('judges conditions at the poll time (trigger.date)', () => {
    const weekend = http({ uri: 'https://e.com', conditions: [{ type: 'io.kestra.plugin.core.condition.Weekend' }] });
    expect(httpPollAllowed(weekend, { ...scope, now: '2026-12-08T10:00:00.000Z' })).toBe(false); // a Tuesday
    expect(httpPollAllowed(weekend, { ...scope, now: '2026-12-12T10:00:00.000Z' })).toBe(true); // a Saturday
    expect(httpPollAllowed(http({ uri: 'https://e.com' }), scope)).toBe(true);
  });

  it('slots polls at the multiples of the interval, one idempotency key per trigger and slot', () => {
    const t = http({ uri: 'https://e.com', interval: 'PT30S' });
    expect(httpPollSlot(t, Date.parse('2026-12-08T10:00:59.999Z'))).toBe(Date.parse('2026-12-08T10:00:30Z'));
    expect(httpPollKey(t, Date.parse('2026-12-08T10:00:30Z'))).toBe('http:http:2026-12-08T10:00:30.000Z');
  });
});
