import { resolve } from 'node:path';
import type { CaseResult } from './case-runner.js';
import { TERMINAL_STATES } from './chronicle-api.js';
import { repoRoot } from './corpus.js';
import { describeCorpusSuite } from './corpus-suite.js';
import { judge } from './documented-differences.js';
import type { AssertionFailure } from './expectations.js';
import type { FlowDeployer } from './flow-deployer.js';
import { KestraMirror, mirrorMissingMessage } from './kestra-source.js';
import type { RunningTarget } from './targets.js';

/**
 * What Kestra's webserver tests (webserver/src/test/java/io/kestra/webserver/controllers/api/
 * ExecutionControllerTest.java) assert about Kestra's test flows that is not an execution's end:
 * the HTTP answers of webhooks (a dynamic key, a key from a secret, conditions) and of a restart
 * or replay that has nothing to do. Each case deploys its flows from the mirror of Kestra's
 * repository and checks the answers, in both modes. Env as the source-flows suite (WEBSERVER_CASE
 * for the case names). Where Chronicle answers with another status than Kestra, the case says why.
 */
const mirror = new KestraMirror();
if (!mirror.found) console.log(mirrorMissingMessage(mirror.path));
const commit = mirror.found ? mirror.commit() : '';
const NS = 'io.kestra.tests';
const timeoutMs = Number(process.env.CORPUS_TIMEOUT_MS ?? 60_000);

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json?: Record<string, any>;
}

interface WebserverCase {
  readonly name: string;
  readonly java: string;
  readonly flows: readonly string[];
  check(http: Http, fail: (f: AssertionFailure) => void, deploy: (file: string) => Promise<unknown>): Promise<void>;
}

/** The gateway over plain HTTP, as Kestra's tests call it. */
class Http {
  constructor(private readonly target: RunningTarget) {}

  async call(method: string, path: string, body?: { json?: unknown; text?: string; yaml?: string; form?: FormData }, auth = true): Promise<Answer> {
    const { url, token } = this.target.api.client;
    const headers: Record<string, string> = auth ? { authorization: `Bearer ${token}` } : {};
    let payload: string | FormData | undefined;
    if (body?.json !== undefined) (headers['content-type'] = 'application/json'), (payload = JSON.stringify(body.json));
    else if (body?.text !== undefined) (headers['content-type'] = 'text/plain'), (payload = body.text);
    else if (body?.yaml !== undefined) (headers['content-type'] = 'application/x-yaml'), (payload = body.yaml);
    else if (body?.form) payload = body.form;
    const res = await fetch(`${url}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let json: Record<string, any> | undefined;
    try {
      json = text ? (JSON.parse(text) as Record<string, any>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  }

  /** Polls an execution until it ended (the read-your-writes read, never a stale one). */
  async ended(id: string): Promise<Record<string, any>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.call('GET', `/api/v1/executions/${id}`);
      if (TERMINAL_STATES.has(answer.json?.state?.current) || Date.now() > deadline) return answer.json ?? {};
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const expectEq = (fail: (f: AssertionFailure) => void, id: string, what: string, actual: unknown, expected: unknown) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) fail({ id, what, expected, actual });
};
const expectContains = (fail: (f: AssertionFailure) => void, id: string, what: string, actual: string, expected: string) => {
  if (!actual.includes(expected)) fail({ id, what, expected: `containing ${JSON.stringify(expected)}`, actual: actual.slice(0, 400) });
};
const webhook = (flowId: string, key: string, query = '') => `/api/v1/executions/webhook/${NS}/${flowId}/${key}${query}`;
const variablesOf = (execution: Record<string, any> | undefined) => execution?.trigger?.variables ?? {};

/** InputsTest.inputs, the restart_with_inputs flow's (a FILE part named `file`). */
const restartWithInputsForm = () => {
  const form = new FormData();
  for (const [k, v] of Object.entries({ string: 'myString', int: '42', float: '42.42', instant: '2019-10-06T18:27:49Z' })) form.append(k, v);
  form.append('files', new Blob(['application-test.yml content'], { type: 'text/plain' }), 'file');
  return form;
};

const JAVA = 'webserver/src/test/java/io/kestra/webserver/controllers/api/ExecutionControllerTest.java';
const FLOW_JAVA = 'webserver/src/test/java/io/kestra/webserver/controllers/api/FlowControllerTest.java';
const WEB = 'webserver/src/test/resources/flows/';

const CASES: readonly WebserverCase[] = [
  {
    name: 'webhook', java: `${JAVA}#webhook`, flows: ['webhook.yaml'],
    async check(http, fail) {
      const post = await http.call('POST', webhook('webhook', 'a-secret-key', '?name=john&age=12&age=13'), { json: { a: 1, b: true } }, false);
      expectEq(fail, 'post.status', 'POST answer', post.status, 200);
      expectEq(fail, 'post.body', 'trigger.variables.body', variablesOf(post.json).body, { a: 1, b: true });
      expectEq(fail, 'post.age', 'trigger.variables.parameters.age', variablesOf(post.json).parameters?.age, ['12', '13']);
      expectEq(fail, 'post.labels', 'the flow labels first', (post.json?.labels ?? []).slice(0, 2), [{ key: 'flow-label-1', value: 'flow-label-1' }, { key: 'flow-label-2', value: 'flow-label-2' }]);
      const put = await http.call('PUT', webhook('webhook', 'a-secret-key'), { json: [{ a: 1, b: true }] }, false);
      expectEq(fail, 'put.body', 'PUT trigger.variables.body', variablesOf(put.json).body, [{ a: 1, b: true }]);
      const text = await http.call('POST', webhook('webhook', 'a-secret-key'), { text: 'bla' }, false);
      expectEq(fail, 'text.body', 'POST text trigger.variables.body', variablesOf(text.json).body, 'bla');
      const get = await http.call('GET', webhook('webhook', 'a-secret-key'), undefined, false);
      expectEq(fail, 'get.body', 'GET trigger.variables.body', variablesOf(get.json).body ?? null, null);
      const escaped = '{\\"a\\":\\"\\",\\"b\\":{\\"c\\":{\\"d\\":{\\"e\\":\\"\\",\\"f\\":\\"1\\"}}}}';
      const raw = await http.call('POST', webhook('webhook', 'a-secret-key'), { text: escaped }, false);
      expectEq(fail, 'escaped.body', 'POST escaped text trigger.variables.body', variablesOf(raw.json).body, escaped);
      for (const id of [post, put, text, get, raw].map((a) => a.json?.id).filter(Boolean)) {
        const ended = await http.ended(id as string);
        expectEq(fail, `ended.${id}`, `execution ${id} ends`, ended.state?.current, 'SUCCESS');
      }
    },
  },
  {
    name: 'webhookFlowNotFound', java: `${JAVA}#webhookFlowNotFound`, flows: [],
    async check(http, fail) {
      for (const [method, body] of [['POST', { json: { a: 1, b: true } }], ['PUT', { json: [{ a: 1 }] }], ['POST', { text: 'bla' }], ['GET', undefined]] as const) {
        const answer = await http.call(method, '/api/v1/executions/webhook/not-found/webhook/not-found?name=john&age=12&age=13', body, false);
        expectEq(fail, `${method}.status`, `${method} to an unknown flow`, answer.status, 404);
        expectContains(fail, `${method}.message`, `${method} answer`, answer.text, 'Flow not found');
      }
    },
  },
  {
    name: 'webhookDynamicKey', java: `${JAVA}#webhookDynamicKey`, flows: ['webhook-dynamic-key.yaml'],
    async check(http, fail) {
      const answer = await http.call('GET', webhook('webhook-dynamic-key', 'webhook-dynamic-key'), undefined, false);
      expectEq(fail, 'status', 'GET with the key `{{ flow.id }}` renders to', answer.status, 200);
      if (typeof answer.json?.id !== 'string') fail({ id: 'id', what: 'the execution started', expected: 'an id', actual: answer.text.slice(0, 300) });
      const wrong = await http.call('GET', webhook('webhook-dynamic-key', '{{ flow.id }}'.replace(/ /g, '%20')), undefined, false);
      expectEq(fail, 'unrendered.status', 'the key as written is not the key', wrong.status, 404);
    },
  },
  {
    name: 'webhookDynamicKeyFromASecret', java: `${JAVA}#webhookDynamicKeyFromASecret`, flows: ['webhook-secret-key.yaml'],
    async check(http, fail) {
      // SECRET_WEBHOOK_KEY = base64("secretKey"), as Kestra's build.gradle (kestra-test-environment.ts).
      const answer = await http.call('GET', webhook('webhook-secret-key', 'secretKey'), undefined, false);
      expectEq(fail, 'status', 'GET with the key read from the secret', answer.status, 200);
      if (typeof answer.json?.id !== 'string') fail({ id: 'id', what: 'the execution started', expected: 'an id', actual: answer.text.slice(0, 300) });
    },
  },
  {
    name: 'webhookWithCondition', java: `${JAVA}#webhookWithCondition`, flows: ['webhook-with-condition.yaml'],
    async check(http, fail) {
      const world = await http.call('POST', webhook('webhook-with-condition', 'webhookKey'), { json: { hello: 'world' } }, false);
      expectEq(fail, 'world.status', 'a call the condition accepts', world.status, 200);
      if (typeof world.json?.id !== 'string') fail({ id: 'world.id', what: 'the execution started', expected: 'an id', actual: world.text.slice(0, 300) });
      const other = await http.call('POST', webhook('webhook-with-condition', 'webhookKey'), { json: { hello: 'webhook' } }, false);
      expectEq(fail, 'other.status', 'a call the condition refuses', other.status, 204);
      expectEq(fail, 'other.body', 'its body', other.text, '');
    },
  },
  {
    // Kestra answers 422 (UNPROCESSABLE_ENTITY); Chronicle's contract answers a refused command 409
    // (CONFLICT) and a bad query parameter 400 (CONTRACT.md): the statuses are Chronicle's, the messages Kestra's.
    name: 'restartWithNoFailure+restartFromUnknownTaskId', java: `${JAVA}#restartWithNoFailure, #restartFromUnknownTaskId`, flows: ['restart_with_inputs.yaml'],
    async check(http, fail) {
      const started = await http.call('POST', `/api/v1/executions/${NS}/restart_with_inputs`, { form: restartWithInputsForm() });
      const id = started.json?.id as string | undefined;
      if (!id) return fail({ id: 'start', what: 'start restart_with_inputs', expected: 'an execution', actual: started.text.slice(0, 300) });
      const ended = await http.ended(id);
      expectEq(fail, 'state', 'its first run', ended.state?.current, 'SUCCESS');
      const restart = await http.call('POST', `/api/v1/executions/${id}/restart`, { json: {} });
      expectEq(fail, 'restart.status', 'restart of a SUCCESS execution', restart.status, 409);
      expectContains(fail, 'restart.message', 'its message', restart.text, 'No task found to restart');
      const replay = await http.call('POST', `/api/v1/executions/${id}/replay?taskRunId=unknownTaskId`, { json: {} });
      expectEq(fail, 'replay.status', 'replay from an unknown task run', replay.status, 400);
      expectContains(fail, 'replay.message', 'its message', replay.text, 'No task found');
    },
  },
  {
    name: 'restartFromTaskId', java: `${JAVA}#restartFromTaskId`, flows: ['restart_with_inputs.yaml'],
    async check(http, fail) {
      const started = await http.call('POST', `/api/v1/executions/${NS}/restart_with_inputs`, { form: restartWithInputsForm() });
      const id = started.json?.id as string | undefined;
      if (!id) return fail({ id: 'start', what: 'start restart_with_inputs', expected: 'an execution', actual: started.text.slice(0, 300) });
      const parent = await http.ended(id);
      const instant = (parent.taskRunList ?? []).find((t: { taskId: string }) => t.taskId === 'instant');
      const replay = await http.call('POST', `/api/v1/executions/${id}/replay?taskRunId=${instant?.id}`, { json: {} });
      const childId = replay.json?.id as string | undefined;
      if (!childId) return fail({ id: 'replay', what: 'replay from the `instant` task run', expected: 'a new execution', actual: replay.text.slice(0, 300) });
      if (childId === id) fail({ id: 'replay.id', what: 'the replay is a new execution', expected: `not ${id}`, actual: childId });
      const child = await http.ended(childId);
      expectEq(fail, 'child.state', 'the replay ends', child.state?.current, 'SUCCESS');
      expectEq(fail, 'child.taskRuns', 'its task runs', (child.taskRunList ?? []).length, 5);
      expectEq(fail, 'child.taskRunStates', 'each SUCCESS', (child.taskRunList ?? []).map((t: { state: { current: string } }) => t.state.current), Array(5).fill('SUCCESS'));
      expectEq(fail, 'child.original', 'its originalId is the first execution (Kestra: parentId)', child.originalId, id);
    },
  },
  // ExecutionServiceTest#replay*: a replay from a task run is a new execution (not the replayed one, which stays as it
  // was) that keeps what ran before that task run and runs the rest; Kestra asserts it RESTARTED at once with the task
  // runs it keeps, Chronicle's replay is asserted once it ended: as the first run ended, with as many task runs.
  ...([
    ['replaySimple', 'logs.yaml', 'logs', {}, 5, { index: 1 }],
    ['replayFlowable', 'restart-each.yaml', 'restart-each', { failed: 'NO' }, 20, { taskId: '2_end' }],
    ['replayParallel', 'parallel-nested.yaml', 'parallel-nested', {}, 11, { taskId: '1-3-2_par' }],
    ['replayEachSeq', 'each-sequential-nested.yaml', 'each-sequential-nested', {}, 23, { taskId: '1-2_each', value: 's1' }],
    ['replayEachSeq2', 'each-sequential-nested.yaml', 'each-sequential-nested', {}, 23, { taskId: '1-2-1_return', value: 'a a' }],
    ['replayEachPara', 'each-parallel-nested.yaml', 'each-parallel-nested', {}, 11, { taskId: '2-1_seq', value: 'value 1' }],
  ] as const).map(([method, file, flowId, inputs, count, from]): WebserverCase => ({
    name: method, java: `core/src/test/java/io/kestra/core/runners/ExecutionServiceTest.java#${method}`, flows: [file],
    async check(http, fail) {
      const form = new FormData();
      for (const [k, v] of Object.entries(inputs)) form.append(k, v);
      const started = await http.call('POST', `/api/v1/executions/${NS}/${flowId}`, { form });
      const id = started.json?.id as string | undefined;
      if (!id) return fail({ id: 'start', what: `start ${flowId}`, expected: 'an execution', actual: started.text.slice(0, 300) });
      const first = await http.ended(id);
      const runs = (first.taskRunList ?? []) as Array<{ id: string; taskId: string; value?: string }>;
      expectEq(fail, 'first.state', 'the first run', first.state?.current, 'SUCCESS');
      expectEq(fail, 'first.taskRuns', 'its task runs', runs.length, count);
      const run = 'index' in from ? runs[from.index] : runs.find((r) => r.taskId === from.taskId && ('value' in from ? r.value === from.value : true));
      if (!run) return fail({ id: 'taskRun', what: `the task run to replay from (${JSON.stringify(from)})`, expected: 'found', actual: runs.map((r) => r.taskId).join(', ') });
      const replay = await http.call('POST', `/api/v1/executions/${id}/replay?taskRunId=${run.id}`, { json: {} });
      const replayId = replay.json?.id as string | undefined;
      if (!replayId) return fail({ id: 'replay', what: `replay from ${run.taskId}`, expected: 'a new execution', actual: replay.text.slice(0, 300) });
      if (replayId === id) fail({ id: 'replay.id', what: 'the replay is a new execution', expected: `not ${id}`, actual: replayId });
      const replayed = await http.ended(replayId);
      expectEq(fail, 'replay.state', 'the replay ends', replayed.state?.current, 'SUCCESS');
      expectEq(fail, 'replay.taskRuns', 'its task runs', (replayed.taskRunList ?? []).length, count);
      expectEq(fail, 'replay.original', 'its originalId is the first execution', replayed.originalId, id);
      const again = await http.call('GET', `/api/v1/executions/${id}`);
      expectEq(fail, 'first.unchanged', 'the replayed execution stays as it was', { state: again.json?.state?.current, taskRuns: (again.json?.taskRunList ?? []).length }, { state: 'SUCCESS', taskRuns: count });
    },
  })),
  {
    name: 'killPaused', java: `${JAVA}#killPaused`, flows: ['pause.yaml'],
    async check(http, fail) {
      // Kestra's runnerUtils starts it: over REST the flow id `pause` is the control route (README, Not in REST).
      const started = await http.call('POST', '/graphql', { json: { query: `mutation{ createExecution(namespace:"${NS}", flowId:"pause"){ id } }` } });
      const id = started.json?.data?.createExecution?.id as string | undefined;
      if (!id) return fail({ id: 'start', what: 'start pause', expected: 'an execution', actual: started.text.slice(0, 300) });
      const deadline = Date.now() + timeoutMs;
      let state = '';
      while (state !== 'PAUSED' && Date.now() < deadline) {
        state = (await http.call('GET', `/api/v1/executions/${id}`)).json?.state?.current ?? '';
        if (state !== 'PAUSED') await new Promise((r) => setTimeout(r, 100));
      }
      expectEq(fail, 'paused', 'runOneUntilPaused', state, 'PAUSED');
      const kill = await http.call('DELETE', `/api/v1/executions/${id}/kill`);
      expectEq(fail, 'kill.status', 'DELETE .../kill of a paused execution', kill.status, 202);
      const ended = await http.ended(id);
      expectEq(fail, 'state', 'no more paused: it ends KILLED', ended.state?.current, 'KILLED');
    },
  },
  {
    name: 'scheduleDate', java: `${JAVA}#scheduleDate`, flows: ['minimal.yaml'],
    async check(http, fail) {
      // Whole seconds, as Kestra's test; far enough ahead that a slow machine's request still reaches it first.
      const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 5_000).toISOString();
      const started = await http.call('POST', `/api/v1/executions/${NS}/minimal?scheduleDate=${encodeURIComponent(at)}`, { form: new FormData() });
      if (!started.json?.id) return fail({ id: 'start', what: 'start minimal with a scheduleDate', expected: 'an execution', actual: started.text.slice(0, 300) });
      expectEq(fail, 'scheduleDate', 'the execution\'s scheduleDate', Date.parse(started.json.scheduleDate), Date.parse(at));
      expectEq(fail, 'state', 'it runs at its date', (await http.ended(started.json.id)).state?.current, 'SUCCESS');
    },
  },
  {
    // Kestra answers 422; Chronicle's contract answers bad input 400 (CONTRACT.md), with Kestra's reason.
    name: 'shouldRefuseSystemLabelsWhenCreatingAnExecution', java: `${JAVA}#shouldRefuseSystemLabelsWhenCreatingAnExecution`, flows: ['minimal.yaml'],
    async check(http, fail) {
      const refused = await http.call('POST', `/api/v1/executions/${NS}/minimal?labels=system.label:system`, { form: new FormData() });
      expectEq(fail, 'status', 'a start with a system label', refused.status, 400);
      expectContains(fail, 'message', 'its message, Kestra\'s', refused.text, 'System labels can only be set by Kestra itself, offending label: system.label=system');
      const gql = await http.call('POST', '/graphql', { json: { query: `mutation($l:JSON){ createExecution(namespace:"${NS}", flowId:"minimal", labels:$l){ id } }`, variables: { l: { 'system.label': 'system' } } } });
      expectContains(fail, 'graphql', 'the same start over GraphQL', gql.text, 'System labels can only be set by Kestra itself');
    },
  },
  {
    // Kestra's POST /executions/{id}/labels; Chronicle has Kestra's labels/by-ids, which checks each execution the same way
    // (ExecutionController.setLabels: a system label only as the execution has it), and answers 400 with the invalids.
    name: 'shouldRefuseSystemLabelsWhenUpdatingLabels', java: `${JAVA}#shouldRefuseSystemLabelsWhenUpdatingLabels`, flows: ['minimal.yaml'],
    async check(http, fail) {
      const started = await http.call('POST', `/api/v1/executions/${NS}/minimal`, { form: new FormData() });
      const id = started.json?.id as string | undefined;
      if (!id) return fail({ id: 'start', what: 'start minimal', expected: 'an execution', actual: started.text.slice(0, 300) });
      const ended = await http.ended(id);
      expectEq(fail, 'state', 'runOne', ended.state?.current, 'SUCCESS');
      const refused = await http.call('POST', '/api/v1/executions/labels/by-ids', { json: { executionsId: [id], executionLabels: [{ key: 'system.label', value: 'value' }] } });
      expectEq(fail, 'refused.status', 'labels/by-ids with a system label', refused.status, 400);
      expectContains(fail, 'refused.message', 'its reason', refused.text, 'System labels can only be set by Kestra itself, offending label: system.label=value');
      const correlation = (ended.labels ?? []).find((l: { key: string }) => l.key === 'system.correlationId')?.value as string | undefined;
      const same = await http.call('POST', '/api/v1/executions/labels/by-ids', { json: { executionsId: [id], executionLabels: [{ key: 'system.correlationId', value: correlation }, { key: 'team', value: 'data' }] } });
      expectEq(fail, 'same.status', 'a system label passed as the execution has it', same.status, 200);
    },
  },
  // ---- webserver/src/test/resources/flows/ (FlowControllerTest) ----
  {
    name: 'getFlowsByNamespace', java: `${FLOW_JAVA}#getFlowsByNamespace`,
    flows: [`${WEB}getflowsbynamespace/getbynamespacetestflow.yaml`, `${WEB}getflowsbynamespace/getbynamespace-test-flow2.yaml`, `${WEB}getflowsbynamespace/subnamespace.yaml`],
    async check(http, fail, deploy) {
      // Kestra's loader keeps this one as deleted; Chronicle refuses `deleted: true` at deploy: either way it is not listed.
      await deploy(`${WEB}getflowsbynamespace/deleted.yaml`).catch(() => undefined);
      // The list is the read model's, which may lag a deploy by a moment: read until both deployed flows are listed.
      const expected = ['getbynamespace-test-flow', 'getbynamespace-test-flow2'];
      const deadline = Date.now() + timeoutMs;
      let ids: string[] = [];
      for (;;) {
        const answer = await http.call('GET', '/api/v1/flows/io.kestra.unittest.flowsbynamespace');
        ids = ((answer.json as unknown as Array<{ id: string }>) ?? []).map((f) => f.id).sort();
        if (expected.every((id) => ids.includes(id)) || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expectEq(fail, 'ids', 'the flows of the namespace (not of its child namespace)', ids, expected);
    },
  },
  {
    name: 'createInvalidFlowFromString', java: `${FLOW_JAVA}#createInvalidFlowFromString`, flows: [],
    async check(http, fail) {
      const answer = await http.call('POST', '/api/v1/flows', { yaml: mirror.flow(`${WEB}simpleInvalidFlow.yaml`) });
      if (answer.status < 400 || answer.status >= 500) fail({ id: 'status', what: 'creating a flow with an unknown property', expected: 'refused (Kestra: 422; Chronicle: 400 BAD_USER_INPUT)', actual: answer.status });
      expectContains(fail, 'message', 'the refusal names the property', answer.text, 'badProperties');
    },
  },
  {
    name: 'updateInvalidFlowFromString', java: `${FLOW_JAVA}#updateInvalidFlowFromString`, flows: [],
    async check(http, fail) {
      const created = await http.call('POST', '/api/v1/flows', { yaml: mirror.flow(`${WEB}simpleFlow.yaml`) });
      if (created.status !== 409) expectEq(fail, 'create.id', 'the created flow', created.json?.id, 'test-flow');
      const answer = await http.call('PUT', '/api/v1/flows/io.kestra.unittest/test-flow', { yaml: mirror.flow(`${WEB}simpleInvalidFlowUpdate.yaml`) });
      if (answer.status < 400 || answer.status >= 500) fail({ id: 'status', what: 'an update changing the id and namespace', expected: 'refused (Kestra: 422; Chronicle: 400 BAD_USER_INPUT)', actual: answer.status });
      // Kestra names `flow.id` and `flow.namespace`; Chronicle names both values and says they cannot change.
      expectContains(fail, 'message.id', 'the refusal names the id', answer.text, 'test-flow-invalid');
      expectContains(fail, 'message.namespace', 'the refusal names the namespace', answer.text, 'io.kestra2.unittest');
      expectContains(fail, 'message.why', 'and says why', answer.text, 'namespace and id cannot change');
    },
  },
  {
    name: 'validateFlows', java: `${FLOW_JAVA}#validateFlows (the invalid documents)`, flows: [],
    async check(http, fail) {
      const answer = await http.call('POST', '/api/v1/flows/validate', { yaml: mirror.flow(`${WEB}validateMultipleInvalidFlows.yaml`) });
      const body = (answer.json as unknown as Array<{ constraints?: string }>) ?? [];
      expectEq(fail, 'size', 'one answer per document', Array.isArray(body) ? body.length : answer.text.slice(0, 300), 2);
      expectContains(fail, 'first', 'the first names its unknown property', String(body[0]?.constraints ?? ''), 'unknownProp');
      expectContains(fail, 'second', 'the second names its unknown task type', String(body[1]?.constraints ?? ''), 'io.kestra.plugin.core.debug.UnknownTask');
    },
  },
  {
    name: 'shouldValidateFlowWithWarningsAndInfos', java: `${FLOW_JAVA}#shouldValidateFlowWithWarningsAndInfos (its infos)`, flows: [],
    async check(http, fail) {
      const answer = await http.call('POST', '/api/v1/flows/validate', { yaml: mirror.flow(`${WEB}warningsAndInfos.yaml`) });
      const body = (answer.json as unknown as Array<{ constraints?: string; infos?: string[] }>) ?? [];
      expectEq(fail, 'size', 'one answer', Array.isArray(body) ? body.length : answer.text.slice(0, 300), 1);
      expectEq(fail, 'constraints', 'no problem', body[0]?.constraints, undefined);
      expectEq(fail, 'infos', 'the alias named with its current name', body[0]?.infos, ['io.kestra.core.tasks.log.Log is replaced by io.kestra.plugin.core.log.Log']);
    },
  },
  {
    // Kestra finds both valid, the first with deprecated parts (its `listeners`, a test plugin's deprecated
    // task); Chronicle refuses what it does not run, naming it: `listeners` (removed since Kestra 0.21) and
    // the test-only task type. The second is valid for both.
    name: 'validateFlows (the valid documents)', java: `${FLOW_JAVA}#validateFlows`, flows: [],
    async check(http, fail) {
      const answer = await http.call('POST', '/api/v1/flows/validate', { yaml: mirror.flow(`${WEB}validateMultipleValidFlows.yaml`) });
      const body = (answer.json as unknown as Array<{ index: number; flow?: string; constraints?: string }>) ?? [];
      expectEq(fail, 'size', 'one answer per document', Array.isArray(body) ? body.length : answer.text.slice(0, 300), 2);
      expectContains(fail, 'first.listeners', 'the first: its listeners', String(body[0]?.constraints ?? ''), 'flow property "listeners" is not supported');
      expectContains(fail, 'first.task', 'the first: its test-only task type', String(body[0]?.constraints ?? ''), 'io.kestra.core.plugins.test.DeprecatedTask');
      expectEq(fail, 'second', 'the second is valid', { flow: body[1]?.flow, constraints: body[1]?.constraints }, { flow: 'second_flow', constraints: undefined });
    },
  },
];

const selected = (() => {
  const filter = process.env.WEBSERVER_CASE?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!filter?.length) return CASES;
  const re = filter.map((f) => new RegExp(`^${f.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
  return CASES.filter((c) => re.some((r) => r.test(c.name)));
})();

async function run(target: RunningTarget, deployer: FlowDeployer, c: WebserverCase): Promise<CaseResult> {
  const started = Date.now();
  const failures: AssertionFailure[] = [];
  for (const file of c.flows) {
    const error = await deployer.deploy(mirror.flow(file)).then(() => undefined, (e: unknown) => (e instanceof Error ? e.message : String(e)));
    if (error) failures.push({ id: 'deploy', what: `flow ${file}`, expected: 'deployed', actual: error });
  }
  if (failures.length === 0) await c.check(new Http(target), (f) => failures.push(f), (file) => deployer.deploy(mirror.flow(file)));
  return { name: c.name, passed: failures.length === 0, failures, executionIds: [], durationMs: Date.now() - started };
}

describeCorpusSuite({
  title: "Kestra's webserver tests on its test flows",
  found: mirror.found,
  cases: selected,
  resultsDir: process.env.CORPUS_RESULTS_DIR ?? resolve(repoRoot, 'tmp', 'kestra-webserver'),
  heading: (mode) => `Kestra webserver answers, ${mode} mode (${mirror.path} @ ${commit.slice(0, 10)})`,
  run,
  judge: (result, mode) => judge(result, mode, []),
});
