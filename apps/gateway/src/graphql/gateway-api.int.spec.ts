import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type GatewayClient } from '@chronicle/testing';
import { startGateway, TOKENS, type GatewayHarness } from '../test-support/gateway.harness.js';
import { updateMessage } from '@chronicle/contracts';

const THREE_LOGS = (namespace = 'company.team') => `id: three-logs
namespace: ${namespace}
labels:
  team: data
tasks:
  - id: a
    type: Log
    message: one
  - id: b
    type: Log
    message: two
  - id: c
    type: Log
    message: three
`;

const FIELDS = `id namespace flowId flowRevision state stateHistory { state date } inputs outputs labels originalId parentId startDate endDate revision
  taskRuns { id taskId parentTaskRunId value state outputs startDate endDate attempts { number state startDate endDate error } }`;

describe('gateway API over a real read model', () => {
  let h: GatewayHarness;
  let c: GatewayClient;

  const create = async (extra = '') =>
    (await c.data(`mutation { createExecution(namespace: "company.team", flowId: "three-logs"${extra}) { id revision originalId } }`)).createExecution as { id: string; revision: number; originalId: string };

  /** Runs an execution to its end with the domain's decider (as executor and worker would), event by event when asked. */
  async function runToEnd(id: string, afterEach?: () => Promise<void>): Promise<void> {
    const oneByOne = afterEach !== undefined;
    for (;;) {
      const execution = (await h.platform.executions.load(id))!;
      if (execution.state === 'CREATED') {
        await h.apply(id, { type: 'AdvanceExecution' }, { oneByOne, afterEach });
        continue;
      }
      const next = execution.taskRuns.find((t) => t.state === 'CREATED');
      if (!next) return;
      await h.apply(id, { type: 'StartTaskRun', taskRunId: next.id, attempt: 1 } as never, { oneByOne, afterEach });
      await h.apply(id, { type: 'CompleteTaskRun', taskRunId: next.id, attempt: 1, outputs: { done: next.id } } as never, { oneByOne, afterEach });
    }
  }

  beforeAll(async () => {
    h = await startGateway({ commandsExecutor: true });
    c = h.client();
    await c.data(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: THREE_LOGS() });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('time travel: executionAt at every revision of a 12-event execution equals the live state then', async () => {
    const { id } = await create();
    await h.settle();
    const live: Record<string, unknown>[] = [(await c.data(`query($id: ID!) { execution(id: $id) { ${FIELDS} } }`, { id })).execution];
    await runToEnd(id, async () => {
      live.push((await c.data(`query($id: ID!) { execution(id: $id) { ${FIELDS} } }`, { id })).execution);
    });
    const { executionHistory } = await c.data(`query($id: ID!) { executionHistory(id: $id) { revision type } }`, { id });
    expect(executionHistory.length).toBeGreaterThanOrEqual(10);
    expect(live.map((e) => e.revision)).toEqual(executionHistory.map((e: { revision: number }) => e.revision));
    for (const state of live) {
      const { executionAt } = await c.data(`query($id: ID!, $r: Int!) { executionAt(id: $id, revision: $r) { ${FIELDS} } }`, { id, r: state.revision });
      expect(executionAt, `revision ${state.revision}`).toEqual(state);
    }
    expect((live.at(-1) as { state: string }).state).toBe('SUCCESS');
    const beyond = await c.graphql(`query($id: ID!) { executionAt(id: $id, revision: 99) { id } }`, { id });
    expect(beyond.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers a page of executions with task runs and logs in the same few SQL queries whatever its size', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push((await create()).id);
    await h.settle();
    for (const id of ids.slice(0, 100)) await h.apply(id, { type: 'AdvanceExecution' });
    await h.readModel.dataSource.query(
      `INSERT INTO logs (execution_id, level, message, "timestamp") SELECT id, 'INFO', 'line ' || g, now() FROM executions, generate_series(1, 3) g`,
    );
    const query = `query($n: Int!) { executions(namespace: "company.team", first: $n) { totalCount edges { cursor node {
      id state labels taskRuns { id taskId state attempts { number state } } logs(first: 2) { edges { node { message } } pageInfo { hasNextPage } }
    } } } }`;
    const counts: number[] = [];
    for (const n of [1, 10, 100]) {
      h.sql.reset();
      const { executions } = await c.data(query, { n });
      counts.push(h.sql.queries.length);
      expect(executions.edges).toHaveLength(n);
      expect(executions.edges.every((e: any) => e.node.taskRuns.length === 1 && e.node.logs.edges.length === 2 && e.node.logs.pageInfo.hasNextPage)).toBe(true);
    }
    // The page, its count, the task runs of the page, the logs of the page.
    expect(counts).toEqual([4, 4, 4]);
  });

  it('pages through executions while others are created, skipping and repeating none', async () => {
    const { executions: before } = await c.data(`{ executions(namespace: "company.team", first: 500) { totalCount edges { node { id } } } }`);
    const expected = before.edges.map((e: any) => e.node.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { executions }: any = await c.data(`query($after: String) { executions(namespace: "company.team", first: 7, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after });
      seen.push(...executions.edges.map((e: any) => e.node.id));
      await create();
      await h.settle();
      if (!executions.pageInfo.hasNextPage) break;
      after = executions.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('filters executions by labels, states, dates, original id and parent', async () => {
    const { id } = await create(`, labels: { run: "special" }, idempotencyKey: "filters-1"`);
    await h.settle();
    const q = async (args: string) => (await c.data(`{ executions(${args}) { totalCount edges { node { id } } } }`)).executions;
    expect((await q(`labels: { run: "special" }`)).edges.map((e: any) => e.node.id)).toEqual([id]);
    expect((await q(`labels: { run: "special", team: "data" }`)).totalCount).toBe(1);
    expect((await q(`originalId: "${id}"`)).totalCount).toBe(1);
    expect((await q(`parentId: "${id}"`)).totalCount).toBe(0);
    expect((await q(`namespace: "company.team", state: [KILLED]`)).totalCount).toBe(0);
    expect((await q(`namespace: "company.team", startDate: "2999-01-01T00:00:00Z"`)).totalCount).toBe(0);
    const bad = await c.graphql(`{ executions(labels: ["x"]) { totalCount } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('starts one execution per idempotency key, and answers the same one again', async () => {
    const first = await create(`, idempotencyKey: "same-key"`);
    const second = await create(`, idempotencyKey: "same-key"`);
    expect(second.id).toBe(first.id);
    await h.settle();
    expect((await c.data(`{ executions(originalId: "${first.id}") { totalCount } }`)).executions.totalCount).toBe(1);
  });

  it('replays an execution into a new one with the same originalId, once per idempotency key, reusing the outputs before the task', async () => {
    const { id } = await create();
    await h.settle();
    await runToEnd(id);
    const replay = async (key: string) => (await c.data(
      `mutation($id: ID!, $k: String) { replayExecution(id: $id, fromTaskId: "b", idempotencyKey: $k) { id originalId state } }`, { id, k: key })).replayExecution;
    const one = await replay('r1');
    expect(one.id).not.toBe(id);
    expect(one.originalId).toBe(id);
    expect((await replay('r1')).id).toBe(one.id);
    expect((await replay('r2')).id).not.toBe(one.id);
    const { executionHistory } = await c.data(`query($id: ID!) { executionHistory(id: $id) { type data } }`, { id: one.id });
    expect(executionHistory[0].data.replayOf).toMatchObject({ executionId: id, fromTaskId: 'b', taskRuns: [{ taskId: 'a', state: 'SUCCESS' }] });
    const unknown = await c.graphql(`mutation($id: ID!) { replayExecution(id: $id, fromTaskId: "nope") { id } }`, { id });
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('no task nope') });
    const missing = await c.graphql(`mutation { replayExecution(id: "missing") { id } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('kills through the executor and answers once the read model shows it; a finished execution is a CONFLICT that says why', async () => {
    const { id } = await create();
    await h.settle();
    const { killExecution } = await c.data(`mutation($id: ID!) { killExecution(id: $id) { id state revision } }`, { id });
    expect(killExecution.state).toBe('KILLED');
    expect(killExecution.revision).toBeGreaterThan(0);
    // Killing it again changes nothing and is not an error.
    expect((await c.data(`mutation($id: ID!) { killExecution(id: $id) { state } }`, { id })).killExecution.state).toBe('KILLED');

    const done = await create();
    await h.settle();
    await runToEnd(done.id);
    const conflict = await c.graphql(`mutation($id: ID!) { pauseExecution(id: $id) { id } }`, { id: done.id });
    expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(conflict.errors?.[0]?.message).toContain(`execution ${done.id} is SUCCESS: only a running execution can be paused`);
    const kill = await c.rest('DELETE', `/api/v1/executions/${done.id}/kill`);
    expect(kill.status).toBe(409);
    expect(await kill.json()).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is SUCCESS') });
    const missing = await c.graphql(`mutation { restartExecution(id: "missing") { id } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lists each execution\'s availableActions from the domain rule, and refuses to replay a live execution with that rule\'s reason', async () => {
    const actions = async (id: string) => (await c.data(`query($id: ID!) { execution(id: $id) { state availableActions } }`, { id })).execution;
    const { id } = await create();
    await h.settle();
    expect(await actions(id)).toEqual({ state: 'CREATED', availableActions: ['KILL'] });
    const live = await c.graphql(`mutation($id: ID!) { replayExecution(id: $id) { id } }`, { id });
    expect(live.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: `execution ${id} is CREATED: only an ended execution can be replayed` });
    await runToEnd(id);
    await h.settle();
    // Ended with savepoints (the default savepointRetention keeps some): it can be replayed or rewound.
    expect(await actions(id)).toEqual({ state: 'SUCCESS', availableActions: ['REPLAY', 'REWIND'] });
  });

  it('streams events after the revision a reconnecting client saw: the missed ones first, then live, in order, once', async () => {
    const { id } = await create();
    await h.settle();
    await h.apply(id, { type: 'AdvanceExecution' });
    // The client saw revisions 0..1, went away, and comes back while the execution goes on.
    const sub = c.subscribe<{ executionEvents: { revision: number; type: string } }>(
      `subscription($id: ID!) { executionEvents(id: $id, afterRevision: 1) { revision type } }`, { id });
    try {
      await eventually('the missed events', async () => sub.received.length >= 1, 5_000);
      await runToEnd(id);
      const total = (await c.data(`query($id: ID!) { executionHistory(id: $id) { revision } }`, { id })).executionHistory.length;
      await eventually('every event', async () => sub.received.length >= total - 2, 10_000);
      expect(sub.errors).toEqual([]);
      expect(sub.received.map((m) => m.executionEvents.revision)).toEqual(Array.from({ length: total - 2 }, (_, i) => i + 2));
    } finally {
      sub.dispose();
    }

    const states = c.subscribe<{ executionUpdated: { revision: number; state: string } }>(
      `subscription($id: ID!) { executionUpdated(id: $id, afterRevision: 0) { revision state } }`, { id });
    try {
      await eventually('the states since revision 0', async () => states.received.some((m) => m.executionUpdated.state === 'SUCCESS'), 5_000);
      const seen = states.received.map((m) => m.executionUpdated);
      expect(seen.map((s) => s.state)).toEqual(['RUNNING', 'SUCCESS']);
      expect(seen.every((s, i) => i === 0 || s.revision > seen[i - 1]!.revision)).toBe(true);
    } finally {
      states.dispose();
    }

    const sse = await fetch(`${h.url}/api/v1/executions/${id}/events`, { headers: { authorization: `Bearer ${TOKENS.VIEWER}`, 'last-event-id': '5' } });
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    const text = await sse.text(); // the stream ends after the terminal event
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids[0]).toBe(6);
    expect(ids.every((r, i) => i === 0 || r === ids[i - 1]! + 1)).toBe(true);
    expect(text).toContain('event: ExecutionSucceeded');
  });

  it('streams log lines: the stored ones after the last seen, then live ones', async () => {
    const { id } = await create();
    await h.settle();
    const [{ id: firstId }] = await h.readModel.dataSource.query(
      `INSERT INTO logs (execution_id, level, message, "timestamp") VALUES ($1, 'INFO', 'l1', now()), ($1, 'WARN', 'l2', now()) RETURNING id::text AS id`, [id]);
    const sub = c.subscribe<{ executionLogs: { message: string; level: string } }>(
      `subscription($id: ID!, $after: ID) { executionLogs(id: $id, after: $after) { message level } }`, { id, after: firstId });
    try {
      await eventually('the stored line', async () => sub.received.length === 1, 5_000);
      await h.platform.bus.publish(h.platform.topics.updates, [{ key: id, value: updateMessage({ kind: 'log', id: '999999', executionId: id, level: 'ERROR', message: 'l3', timestamp: new Date().toISOString() }) }]);
      await eventually('the live line', async () => sub.received.length === 2, 5_000);
      expect(sub.received.map((m) => m.executionLogs.message)).toEqual(['l2', 'l3']);
    } finally {
      sub.dispose();
    }
  });

  it('keeps flow revisions and their sources; disables, enables and deletes flows; refuses to start a disabled or deleted one', async () => {
    const source = THREE_LOGS('lifecycle').replace('three-logs', 'lc');
    await c.data(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: source });
    await c.data(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: `${source}# v2\n` });
    const { disableFlow } = await c.data(`mutation { disableFlow(namespace: "lifecycle", id: "lc") { revision disabled deleted } }`);
    expect(disableFlow).toEqual({ revision: 2, disabled: true, deleted: false });
    const refused = await c.graphql(`mutation { createExecution(namespace: "lifecycle", flowId: "lc") { id } }`);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringContaining('is disabled') });
    const rest = await c.rest('POST', '/api/v1/executions/lifecycle/lc', {});
    expect(rest.status).toBe(409);
    await c.data(`mutation { enableFlow(namespace: "lifecycle", id: "lc") { disabled } }`);
    await c.data(`mutation { createExecution(namespace: "lifecycle", flowId: "lc") { id } }`);
    expect((await c.data(`mutation { deleteFlow(namespace: "lifecycle", id: "lc") { deleted } }`)).deleteFlow.deleted).toBe(true);
    const gone = await c.graphql(`mutation { createExecution(namespace: "lifecycle", flowId: "lc") { id } }`);
    expect(gone.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: expect.stringContaining('was deleted') });
    await h.settle();
    expect((await c.data(`{ flows(namespace: "lifecycle") { id } }`)).flows).toEqual([]);
    const { flowRevisions } = await c.data(`{ flowRevisions(namespace: "lifecycle", id: "lc") { revision source deleted deployedAt } }`);
    expect(flowRevisions.map((f: any) => [f.revision, f.deleted])).toEqual([[1, true], [2, true]]);
    expect(flowRevisions[1].source).toContain('# v2');
    expect(flowRevisions[0].deployedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect((await c.data(`{ flow(namespace: "lifecycle", id: "lc", revision: 1) { revision deleted } }`)).flow).toEqual({ revision: 1, deleted: true });
  });

  it('answers the dashboard from the aggregates: as many executions as the list, by state; a reversed range is BAD_USER_INPUT', async () => {
    const { id } = await create(`, idempotencyKey: "dashboard-1"`);
    await runToEnd(id);
    await h.settle();
    const now = Date.now();
    const range = { from: new Date(now - 86_400_000).toISOString(), to: new Date(now + 60_000).toISOString() };
    const { dashboard } = await c.data(
      `query($from: DateTime!, $to: DateTime!) { dashboard(from: $from, to: $to, namespace: "company.team", flowId: "three-logs") {
        total states running queued successRatio p50Ms buckets { start total } busiestFlows { namespace flowId executions failed } } }`,
      range,
    );
    const listed = (await c.data('{ executions(namespace: "company.team", flowId: "three-logs") { totalCount } }')).executions.totalCount;
    expect(dashboard.total).toBe(listed);
    expect(dashboard.states.SUCCESS).toBeGreaterThanOrEqual(1);
    expect(dashboard.buckets.reduce((sum: number, b: { total: number }) => sum + b.total, 0)).toBe(listed);
    expect(dashboard.busiestFlows).toEqual([expect.objectContaining({ namespace: 'company.team', flowId: 'three-logs', executions: listed })]);
    const reversed = await c.graphql('query($from: DateTime!, $to: DateTime!) { dashboard(from: $from, to: $to) { total } }', { from: range.to, to: range.from });
    expect(reversed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('`to` after `from`') });
  });

  it('reports each projection\'s checkpoint against the head of the log', async () => {
    await h.settle();
    const { projections } = await c.data(`{ projections { name position headPosition lagEvents lagSeconds state errors updatedAt } }`);
    expect(projections).toEqual([expect.objectContaining({ name: 'executions', lagEvents: 0, lagSeconds: 0, state: 'LIVE', errors: 0 })]);
    expect(BigInt(projections[0].position)).toBeLessThanOrEqual(BigInt(projections[0].headPosition));
  });

  it('refuses too deep or too costly queries before running them, with codes and no stack traces', async () => {
    const deep = await c.graphql(`{ executions(first: 100) { edges { node { taskRuns { attempts { state } } logs(first: 10) { edges { node { message } } } } } } }`);
    expect(deep.errors).toBeUndefined();
    const costly = await c.graphql(`{ executions(first: 500) { edges { node { id logs(first: 1000) { edges { node { id message } } } } } } }`);
    expect(costly.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('too complex') });
    const limited = await startGateway({ queryLimits: { maxDepth: 3, maxComplexity: 100 }, introspection: false });
    try {
      const lc = limited.client();
      const over = await lc.graphql(`{ executions { edges { node { taskRuns { id } } } } }`);
      expect(over.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(over.errors?.[0]?.message).toMatch(/depth/i);
      const introspection = await lc.graphql(`{ __schema { types { name } } }`);
      expect(introspection.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const body = JSON.stringify([over, introspection]);
      expect(body).not.toMatch(/stacktrace|node_modules|at .*\.js:\d+/i);
    } finally {
      await limited.close();
    }
  });
});
