import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';

/**
 * Cloudomation's execution record (issue 15), the same in every mode: per-run options at start
 * (priority, maxRuntime, scheduledAt, name, who started it) stored and read back over GraphQL
 * and REST, bad options refused with nothing created, steering (status message, priority,
 * labels) while it runs and from a task, and the execution tree (parent, children, top,
 * descendants).
 */
export const RECORD_NS = 'record.e2e';

const RECORD = 'id state labels priority maxRuntime scheduledAt name description message killReason startedBy { kind id } parentId';

const deploy = async (c: GatewayClient, source: string): Promise<void> => {
  await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: source });
};
const record = async (c: GatewayClient, id: string) => (await c.data(`query($id:ID!){ execution(id:$id){ ${RECORD} } }`, { id })).execution;
const count = async (c: GatewayClient, flowId: string): Promise<number> =>
  (await c.data(`query($f:String!){ executions(namespace:"${RECORD_NS}", flowId:$f){ totalCount } }`, { f: flowId })).executions.totalCount;

/** `restart` stops every service and starts them again on the same database (and bus). */
export function executionRecordScenario(client: () => GatewayClient, restart: () => Promise<void>): void {
  it('run options at start are stored and read back; maxRuntime kills the run and says why', async () => {
    const c = client();
    await deploy(c, `id: long\nnamespace: ${RECORD_NS}\ntimeout: PT1H\ntasks:\n  - { id: sleep, type: io.kestra.plugin.core.flow.Sleep, duration: PT60S }\n`);
    const { createExecution } = await c.data(`mutation { createExecution(namespace:"${RECORD_NS}", flowId:"long", priority: 7, maxRuntime:"PT1S", name:"nightly copy", description:"the big one"){ id priority maxRuntime name description startedBy { kind id } } }`);
    expect(createExecution).toMatchObject({ priority: 7, maxRuntime: 'PT1S', name: 'nightly copy', description: 'the big one', startedBy: { kind: 'token' } });
    await untilTerminal(c, createExecution.id, 60_000);
    const done = await record(c, createExecution.id);
    expect(done).toMatchObject({ state: 'KILLED', priority: 7, name: 'nightly copy', killReason: 'the execution exceeded its maxRuntime PT1S' });
    const rest: any = await (await c.rest('GET', `/api/v1/executions/${createExecution.id}`)).json();
    expect(rest).toMatchObject({ priority: 7, maxRuntime: 'PT1S', name: 'nightly copy', error: 'the execution exceeded its maxRuntime PT1S', state: { current: 'KILLED' } });
    expect(rest.url).toMatch(new RegExp(`/executions/${createExecution.id}$`));
    expect(rest.state.duration).toMatch(/^PT/);
  });

  it('priority orders the concurrency queue: of two queued runs, the later one with the higher priority gets the freed slot', async () => {
    const c = client();
    await deploy(c, `id: one-at-a-time\nnamespace: ${RECORD_NS}\nconcurrency: { limit: 1, behavior: QUEUE }\ntasks:\n  - { id: hold, type: io.kestra.plugin.core.flow.Pause }\n`);
    const startRun = async (priority: number) =>
      (await c.data(`mutation { createExecution(namespace:"${RECORD_NS}", flowId:"one-at-a-time", priority: ${priority}){ id } }`)).createExecution.id as string;
    const stateOf = async (id: string) => (await record(c, id)).state as string;
    const holder = await startRun(5);
    await eventually('the first holds the slot', async () => (await stateOf(holder)) === 'PAUSED', 90_000);
    const low = await startRun(1);
    await eventually('the low one queued', async () => (await stateOf(low)) === 'QUEUED', 90_000);
    const high = await startRun(9);
    await eventually('the high one queued', async () => (await stateOf(high)) === 'QUEUED', 90_000);
    await c.data(`mutation($id:ID!){ resumeExecution(id:$id){ id } }`, { id: holder });
    await eventually('the high one got the slot', async () => (await stateOf(high)) === 'PAUSED', 90_000);
    expect(await stateOf(low)).toBe('QUEUED');
    await c.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: high });
    await eventually('then the low one', async () => (await stateOf(low)) === 'PAUSED', 90_000);
    await c.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: low });
  });

  it('scheduledAt defers the start on a durable timer; listed CREATED with its date; a kill cancels it', async () => {
    const c = client();
    await deploy(c, `id: later\nnamespace: ${RECORD_NS}\ntasks:\n  - { id: out, type: io.kestra.plugin.core.output.OutputValues, values: { v: done } }\n`);
    const far = new Date(Date.now() + 3_600_000).toISOString();
    const { createExecution: parked } = await c.data(`mutation($at:String){ createExecution(namespace:"${RECORD_NS}", flowId:"later", scheduledAt:$at){ id state scheduledAt } }`, { at: far });
    expect(parked).toMatchObject({ state: 'CREATED', scheduledAt: far });
    const listed = await eventually('listed', async () => {
      const page = await c.data(`query { executions(namespace:"${RECORD_NS}", flowId:"later"){ edges { node { id state scheduledAt } } } }`);
      return page.executions.edges.length > 0 ? page.executions.edges.map((e: { node: unknown }) => e.node) : undefined;
    }, 60_000);
    expect(listed).toContainEqual({ id: parked.id, state: 'CREATED', scheduledAt: far });
    await c.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: parked.id });
    expect((await record(c, parked.id)).state).toBe('KILLED');

    // Over REST with Kestra's name for it, a couple of seconds ahead: it starts then, not before.
    const soon = new Date(Date.now() + 2_500).toISOString();
    const started: any = await (await c.rest('POST', `/api/v1/executions/${RECORD_NS}/later?scheduleDate=${encodeURIComponent(soon)}`, {})).json();
    expect(started).toMatchObject({ state: { current: 'CREATED' }, scheduleDate: soon });
    await untilTerminal(c, started.id, 60_000);
    const history = (await c.data(`query($id:ID!){ execution(id:$id){ state stateHistory { state date } } }`, { id: started.id })).execution;
    expect(history.state).toBe('SUCCESS');
    const running = history.stateHistory.find((h: { state: string }) => h.state === 'RUNNING');
    expect(Date.parse(running.date)).toBeGreaterThanOrEqual(Date.parse(soon));
  });

  it('bad options are refused naming the field, and nothing is created', async () => {
    const c = client();
    await deploy(c, `id: refused\nnamespace: ${RECORD_NS}\ntasks:\n  - { id: out, type: io.kestra.plugin.core.output.OutputValues, values: { v: 1 } }\n`);
    const past = new Date(Date.now() - 60_000).toISOString();
    for (const [args, field] of [['priority: -1', 'priority'], [`scheduledAt: "${past}"`, 'scheduledAt'], ['maxRuntime: "ten minutes"', 'maxRuntime']] as const) {
      const answer = await c.graphql(`mutation { createExecution(namespace:"${RECORD_NS}", flowId:"refused", ${args}){ id } }`);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toMatch(new RegExp(`^${field} `));
    }
    const rest = await c.rest('POST', `/api/v1/executions/${RECORD_NS}/refused?priority=-2`, {});
    expect(rest.status).toBe(400);
    expect(await count(c, 'refused')).toBe(0);
  });

  it('steering: status message, priority and labels while it runs (GraphQL and REST), the message from a task too', async () => {
    const c = client();
    await deploy(c, `id: steered
namespace: ${RECORD_NS}
tasks:
  - id: say
    type: io.chronicle.plugin.core.execution.StatusMessage
    message: "copying for {{ execution.id }}"
  - { id: wait, type: io.kestra.plugin.core.flow.Sleep, duration: PT3S }
`);
    const { createExecution } = await c.data(`mutation { createExecution(namespace:"${RECORD_NS}", flowId:"steered", labels: { team: "data" }){ id } }`);
    const id = createExecution.id as string;
    await eventually('the task set the message', async () => (await record(c, id)).message === `copying for ${id}`, 60_000);
    const { updateExecution } = await c.data(`mutation($id:ID!){ updateExecution(id:$id, message:"waiting for the DBA", priority: 4, labels: { team: "ops" }){ id } }`, { id });
    expect(updateExecution.id).toBe(id);
    await eventually('steered', async () => {
      const r = await record(c, id);
      return r.message === 'waiting for the DBA' && r.priority === 4 && r.labels.team === 'ops';
    }, 60_000);
    const patched = await c.rest('PATCH', `/api/v1/executions/${id}`, { message: 'almost there' });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as any).message).toBe('almost there');
    const bad = await c.rest('PATCH', `/api/v1/executions/${id}`, { priority: -1 });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/priority/);
    await untilTerminal(c, id, 60_000);
    const labelled = await c.rest('PATCH', `/api/v1/executions/${id}`, { labels: { reviewed: 'yes' } });
    expect(labelled.status, await labelled.clone().text()).toBe(200);
    await eventually('labels replaced after the end', async () => (await record(c, id)).labels.reviewed === 'yes', 60_000);
    const listed = await c.data(`query { executions(namespace:"${RECORD_NS}", flowId:"steered"){ edges { node { id message } } } }`);
    expect(listed.executions.edges[0].node).toEqual({ id, message: 'almost there' });
  });

  it('the execution tree: parent, children, top execution and all descendants with their states', async () => {
    const c = client();
    await deploy(c, `id: leaf\nnamespace: ${RECORD_NS}\ntasks:\n  - { id: out, type: io.kestra.plugin.core.output.OutputValues, values: { v: 1 } }\n`);
    await deploy(c, `id: middle\nnamespace: ${RECORD_NS}\ntasks:\n  - { id: a, type: io.kestra.plugin.core.flow.Subflow, namespace: ${RECORD_NS}, flowId: leaf }\n  - { id: b, type: io.kestra.plugin.core.flow.Subflow, namespace: ${RECORD_NS}, flowId: leaf }\n`);
    await deploy(c, `id: root\nnamespace: ${RECORD_NS}\ntasks:\n  - { id: m, type: io.kestra.plugin.core.flow.Subflow, namespace: ${RECORD_NS}, flowId: middle }\n`);
    const { createExecution } = await c.data(`mutation { createExecution(namespace:"${RECORD_NS}", flowId:"root"){ id } }`);
    const rootId = createExecution.id as string;
    await untilTerminal(c, rootId, 60_000);
    const tree = await eventually('all descendants projected', async () => {
      const { execution } = await c.data(`query($id:ID!){ execution(id:$id){ id children { id flowId } descendants { id flowId state parentId startedBy { kind id } } } }`, { id: rootId });
      return execution.descendants.length === 3 && execution.descendants.every((d: { state: string }) => d.state === 'SUCCESS') ? execution : undefined;
    }, 60_000);
    expect(tree.children.map((x: { flowId: string }) => x.flowId)).toEqual(['middle']);
    const middle = tree.children[0].id;
    expect(tree.descendants.map((x: { flowId: string; parentId: string }) => `${x.flowId}<${x.parentId === rootId ? 'root' : x.parentId === middle ? 'middle' : '?'}`)).toEqual(['middle<root', 'leaf<middle', 'leaf<middle']);
    expect(tree.descendants[1].startedBy).toEqual({ kind: 'execution', id: middle });
    const leaf = tree.descendants[2].id;
    const { execution: up } = await c.data(`query($id:ID!){ execution(id:$id){ parent { id flowId } topExecution { id flowId } } }`, { id: leaf });
    expect(up).toEqual({ parent: { id: middle, flowId: 'middle' }, topExecution: { id: rootId, flowId: 'root' } });
    const rest: any = await (await c.rest('GET', `/api/v1/executions/${rootId}/descendants`)).json();
    expect(rest.map((x: { flowId: string; state: { current: string } }) => `${x.flowId}:${x.state.current}`)).toEqual(['middle:SUCCESS', 'leaf:SUCCESS', 'leaf:SUCCESS']);
    // REST: the children, and the way up (the parent first, the top last; none above the top).
    const children: any = await (await c.rest('GET', `/api/v1/executions/${middle}/children`)).json();
    expect(children.map((x: { flowId: string; parentId: string; state: { current: string } }) => `${x.flowId}<${x.parentId === middle ? 'middle' : '?'}:${x.state.current}`)).toEqual(['leaf<middle:SUCCESS', 'leaf<middle:SUCCESS']);
    const ancestors: any = await (await c.rest('GET', `/api/v1/executions/${leaf}/ancestors`)).json();
    expect(ancestors.map((x: { id: string; flowId: string }) => [x.id, x.flowId])).toEqual([[middle, 'middle'], [rootId, 'root']]);
    expect(await (await c.rest('GET', `/api/v1/executions/${rootId}/ancestors`)).json()).toEqual([]);
  });

  it('SleepUntil sleeps until a date on a durable timer (a past date ends at once)', async () => {
    const c = client();
    await deploy(c, `id: nap-until\nnamespace: ${RECORD_NS}\ninputs:\n  - { id: until, type: STRING }\ntasks:\n  - { id: nap, type: io.chronicle.plugin.core.flow.SleepUntil, date: "{{ inputs.until }}" }\n`);
    const until = new Date(Date.now() + 3_000).toISOString();
    const { createExecution: soon } = await c.data(`mutation($i:JSON){ createExecution(namespace:"${RECORD_NS}", flowId:"nap-until", inputs:$i){ id } }`, { i: { until } });
    const { createExecution: past } = await c.data(`mutation($i:JSON){ createExecution(namespace:"${RECORD_NS}", flowId:"nap-until", inputs:$i){ id } }`, { i: { until: '2000-01-01T00:00:00Z' } });
    expect((await untilTerminal(c, past.id, 60_000)).state).toBe('SUCCESS');
    expect((await untilTerminal(c, soon.id, 60_000)).state).toBe('SUCCESS');
    const { execution } = await c.data(`query($id:ID!){ execution(id:$id){ taskRuns { state endDate outputs } } }`, { id: soon.id });
    expect(execution.taskRuns[0].outputs).toEqual({ until });
    expect(Date.parse(execution.taskRuns[0].endDate)).toBeGreaterThanOrEqual(Date.parse(until));
  });

  it('WaitForExecution: selects its target by labels, waits for a non-terminal state across a restart of every service, times out, and says when nothing matches', async () => {
    const release = `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    let c = client();
    await deploy(c, `id: staged\nnamespace: ${RECORD_NS}\ntasks:\n  - { id: first, type: io.kestra.plugin.core.flow.Pause }\n  - { id: second, type: io.kestra.plugin.core.flow.Pause }\n`);
    await deploy(c, `id: watch-release
namespace: ${RECORD_NS}
inputs:
  - { id: release, type: STRING }
tasks:
  - id: wait
    type: io.chronicle.plugin.core.execution.WaitForExecution
    labels: { release: "{{ inputs.release }}" }
    states: [RUNNING]
    timeout: PT30M
`);
    await deploy(c, `id: watch-briefly
namespace: ${RECORD_NS}
inputs:
  - { id: target, type: STRING }
tasks:
  - { id: wait, type: io.chronicle.plugin.core.execution.WaitForExecution, executionId: "{{ inputs.target }}", states: [SUCCESS], timeout: PT2S }
`);
    const { createExecution: target } = await c.data(`mutation($l:JSON){ createExecution(namespace:"${RECORD_NS}", flowId:"staged", labels:$l){ id } }`, { l: { release } });
    // The labels are looked up in the read model: wait until its list shows the target, paused at `first`.
    await eventually('the target listed PAUSED with its labels', async () => {
      const page = await c.data(`query($l:JSON){ executions(namespace:"${RECORD_NS}", labels:$l){ edges { node { id state } } } }`, { l: { release } });
      return page.executions.edges.some((e: { node: { id: string; state: string } }) => e.node.id === target.id && e.node.state === 'PAUSED');
    }, 90_000);
    const { createExecution: waiter } = await c.data(`mutation($i:JSON){ createExecution(namespace:"${RECORD_NS}", flowId:"watch-release", inputs:$i){ id } }`, { i: { release } });
    const waitRun = async (id: string) => (await c.data(`query($id:ID!){ execution(id:$id){ state taskRuns { taskId state outputs error } } }`, { id })).execution;
    await eventually('the waiter chose the target and waits for it', async () => {
      const e = await waitRun(waiter.id);
      return e.taskRuns[0]?.state === 'RUNNING' && e.taskRuns[0]?.outputs?.executionId === target.id;
    }, 90_000);

    // The wait is in the logs of both executions: a restart of every service loses nothing.
    await restart();
    c = client();
    const after = await waitRun(waiter.id);
    expect(after.state).toBe('RUNNING');
    expect(after.taskRuns[0]).toMatchObject({ state: 'RUNNING', outputs: { executionId: target.id } });

    // Resumed, the target runs (RUNNING, then PAUSED at `second` in the same decision): the waiter is told RUNNING.
    await c.data(`mutation($id:ID!){ resumeExecution(id:$id){ id } }`, { id: target.id });
    const done = await untilTerminal(c, waiter.id, 90_000);
    expect(done.state).toBe('SUCCESS');
    expect((await waitRun(waiter.id)).taskRuns[0]).toMatchObject({ state: 'SUCCESS', outputs: { executionId: target.id, state: 'RUNNING' } });

    // A wait that its timeout ends first (the target stays PAUSED at `second`).
    await eventually('the target paused at second', async () => (await record(c, target.id)).state === 'PAUSED', 90_000);
    const { createExecution: brief } = await c.data(`mutation($i:JSON){ createExecution(namespace:"${RECORD_NS}", flowId:"watch-briefly", inputs:$i){ id } }`, { i: { target: target.id } });
    expect((await untilTerminal(c, brief.id, 90_000)).state).toBe('FAILED');
    expect((await waitRun(brief.id)).taskRuns[0].error).toBe('Timeout after 00:00:02.000: task wait ran longer than its timeout PT2S');
    await c.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: target.id });

    // No execution has these labels: the task fails and says so.
    const { createExecution: lost } = await c.data(`mutation($i:JSON){ createExecution(namespace:"${RECORD_NS}", flowId:"watch-release", inputs:$i){ id } }`, { i: { release: `${release}-none` } });
    expect((await untilTerminal(c, lost.id, 90_000)).state).toBe('FAILED');
    expect((await waitRun(lost.id)).taskRuns[0].error).toBe(`task wait: no execution of namespace ${RECORD_NS} (or below it) has the labels release=${release}-none`);
  }, 480_000);

  it('a webhook that waits answers with the status, content type, headers and body the flow outputs (returnOutputs)', async () => {
    const c = client();
    await deploy(c, `id: shaped
namespace: ${RECORD_NS}
inputs:
  - { id: kind, type: STRING, defaults: json }
tasks:
  - id: page
    type: io.kestra.plugin.core.output.OutputValues
    values:
      html: "<h1>hello {{ trigger.body.who }}</h1>"
outputs:
  - id: webhookResponse
    type: JSON
    value: |
      {% if trigger.body.who == 'evil' %}{"text": "x", "headers": {"Set-Cookie": "a=b"}}{% else %}{"status": 201, "html": {{ outputs.page.values.html | json }}, "headers": {"X-Flow": "shaped"}}{% endif %}
triggers:
  - { id: hook, type: io.kestra.plugin.core.trigger.Webhook, key: shaped-key-123, returnOutputs: true }
  - { id: plain, type: io.kestra.plugin.core.trigger.Webhook, key: plain-key-123 }
`);
    const hook = (key: string, who: string) => fetch(`${c.url}/api/v1/executions/webhook/${RECORD_NS}/shaped/${key}?wait=true`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ who }),
    });
    const shaped = await hook('shaped-key-123', 'Ada');
    expect(shaped.status).toBe(201);
    expect(shaped.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(shaped.headers.get('x-flow')).toBe('shaped');
    expect(await shaped.text()).toBe('<h1>hello Ada</h1>');
    const refused = await hook('shaped-key-123', 'evil');
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as any).message).toMatch(/may not set the header Set-Cookie/);
    expect(refused.headers.get('set-cookie')).toBeNull();
    // Without returnOutputs the answer stays the execution record.
    const plain = await hook('plain-key-123', 'Ada');
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as any).state.current).toBe('SUCCESS');
  });

  it('WaitForExecution waits until another execution ends (told by it), and fails for one that does not exist', async () => {
    const c = client();
    await deploy(c, `id: gate\nnamespace: ${RECORD_NS}\ntasks:\n  - { id: hold, type: io.kestra.plugin.core.flow.Pause }\n`);
    await deploy(c, `id: waiter
namespace: ${RECORD_NS}
inputs:
  - { id: target, type: STRING }
tasks:
  - id: wait
    type: io.chronicle.plugin.core.execution.WaitForExecution
    executionId: "{{ inputs.target }}"
  - { id: after, type: io.kestra.plugin.core.output.OutputValues, values: { seen: "{{ outputs.wait.state }}" } }
`);
    const { createExecution: gate } = await c.data(`mutation { createExecution(namespace:"${RECORD_NS}", flowId:"gate"){ id } }`);
    await eventually('gate paused', async () => (await record(c, gate.id)).state === 'PAUSED', 60_000);
    const { createExecution: waiter } = await c.data(`mutation($t:JSON){ createExecution(namespace:"${RECORD_NS}", flowId:"waiter", inputs:$t){ id } }`, { t: { target: gate.id } });
    await eventually('waiting', async () => {
      const { execution } = await c.data(`query($id:ID!){ execution(id:$id){ taskRuns { taskId state } } }`, { id: waiter.id });
      return execution.taskRuns[0]?.state === 'RUNNING';
    }, 60_000);
    await c.data(`mutation($id:ID!){ resumeExecution(id:$id){ id } }`, { id: gate.id });
    await untilTerminal(c, waiter.id, 60_000);
    const { execution: done } = await c.data(`query($id:ID!){ execution(id:$id){ state taskRuns { taskId state outputs } } }`, { id: waiter.id });
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns[1].outputs).toEqual({ values: { seen: 'SUCCESS' } });

    const { createExecution: lost } = await c.data(`mutation { createExecution(namespace:"${RECORD_NS}", flowId:"waiter", inputs: { target: "no-such-execution" }){ id } }`);
    await untilTerminal(c, lost.id, 60_000);
    const { execution: failed } = await c.data(`query($id:ID!){ execution(id:$id){ state taskRuns { error } } }`, { id: lost.id });
    expect(failed.state).toBe('FAILED');
    expect(failed.taskRuns[0].error).toBe('execution no-such-execution does not exist');
  });

  it('development mode: a draft runs without being deployed, is left out of default lists and fires no downstream flow trigger', async () => {
    const c = client();
    await deploy(c, `id: upstream\nnamespace: ${RECORD_NS}\ntasks:\n  - { id: out, type: io.kestra.plugin.core.output.OutputValues, values: { v: deployed } }\n`);
    await deploy(c, `id: downstream
namespace: ${RECORD_NS}
tasks:
  - { id: seen, type: io.kestra.plugin.core.output.OutputValues, values: { upstream: "{{ trigger.executionId }}" } }
triggers:
  - id: after-upstream
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - { type: io.kestra.plugin.core.condition.ExecutionFlowCondition, namespace: ${RECORD_NS}, flowId: upstream }
`);
    await new Promise((r) => setTimeout(r, 300)); // the scheduler indexes the new trigger from the log
    const draft = `id: upstream\nnamespace: ${RECORD_NS}\ntasks:\n  - { id: out, type: io.kestra.plugin.core.output.OutputValues, values: { v: draft } }\n`;
    const { createExecution: dev } = await c.data(`mutation($s:String){ createExecution(namespace:"${RECORD_NS}", flowId:"upstream", mode:"DEVELOPMENT", source:$s){ id mode flowRevision } }`, { s: draft });
    expect(dev).toMatchObject({ mode: 'DEVELOPMENT', flowRevision: 0 });
    await untilTerminal(c, dev.id, 60_000);
    const { execution: ran } = await c.data(`query($id:ID!){ execution(id:$id){ state taskRuns { outputs } } }`, { id: dev.id });
    expect(ran).toEqual({ state: 'SUCCESS', taskRuns: [{ outputs: { values: { v: 'draft' } } }] });

    const prod = (await c.data(`mutation { createExecution(namespace:"${RECORD_NS}", flowId:"upstream"){ id } }`)).createExecution.id as string;
    await untilTerminal(c, prod, 60_000);
    const downstream = await eventually('the productive run fired the flow trigger', async () => {
      const page = await c.data(`query { executions(namespace:"${RECORD_NS}", flowId:"downstream"){ edges { node { id state taskRuns { outputs } } } } }`);
      return page.executions.edges.length > 0 && page.executions.edges.every((e: { node: { state: string } }) => e.node.state === 'SUCCESS') ? page.executions.edges : undefined;
    }, 60_000);
    // The listener handles ends in log order: the development run ended first and fired nothing.
    expect(downstream.map((e: { node: { taskRuns: { outputs: unknown }[] } }) => e.node.taskRuns[0]!.outputs)).toEqual([{ values: { upstream: prod } }]);

    const list = async (mode?: string) => (await c.data(`query($m:String){ executions(namespace:"${RECORD_NS}", flowId:"upstream", mode:$m){ edges { node { id } } } }`, { m: mode ?? null }))
      .executions.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(await list()).toEqual([prod]);
    expect(await list('DEVELOPMENT')).toEqual([dev.id]);
    expect(await list('ALL')).toEqual([prod, dev.id]);

    const wrong = await c.graphql(`mutation($s:String){ createExecution(namespace:"${RECORD_NS}", flowId:"upstream", source:$s){ id } }`, { s: draft });
    expect(wrong.errors?.[0]).toMatchObject({ message: 'mode must be DEVELOPMENT to run a draft source', extensions: { code: 'BAD_USER_INPUT' } });
  });
}
