import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionStreamId } from '@chronicle/domain';
import { ANY, StreamDeletedError } from '@chronicle/event-store';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, eventually, GatewayClient, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';

// Token names are `<role>-token-<index in CHRONICLE_TOKENS>`: the actors the audit shows.
const ADMIN = 'retention-admin-token-0123456789';
const OPERATOR = 'retention-operator-token-012345';
const ADMIN_ACTOR = 'admin-token-1';
const OPERATOR_ACTOR = 'operator-token-2';

const flow = (namespace: string, id: string, tasks: string) => `id: ${id}\nnamespace: ${namespace}\ntasks:\n${tasks}`;
const LOGS = '  - id: a\n    type: Log\n    message: one\n  - id: b\n    type: Log\n    message: two\n';
const PAUSED = '  - id: wait\n    type: Pause\n  - id: after\n    type: Log\n    message: resumed\n';

// Standalone: the real executor, projection and gateway in this process, real Postgres.
describe('retention and audit, end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let admin: GatewayClient;
  let operator: GatewayClient;

  const start = async (c: GatewayClient, namespace: string, flowId: string): Promise<string> =>
    (await c.data(`mutation($ns:String!,$f:String!){ createExecution(namespace:$ns, flowId:$f){ id } }`, { ns: namespace, f: flowId })).createExecution.id;
  const stateOf = async (id: string): Promise<string | undefined> => (await admin.data(`query($id:ID!){ execution(id:$id){ state } }`, { id })).execution?.state;
  const until = (id: string, state: string) => eventually(`${id} ${state}`, async () => (await stateOf(id)) === state, 60_000);
  const audit = async (args: string, vars: Record<string, unknown>) =>
    (await admin.data(`query(${args.split(',').map((a) => a.trim()).filter(Boolean).map((a) => `$${a}`).join(',')}){ audit(${args.split(',').map((a) => a.split(':')[0]!.trim()).filter(Boolean).map((a) => `${a}:$${a}`).join(',')}, first: 500){ cursor at actor action executionId namespace flowId revision } }`, vars)).audit as Array<{ actor: string; action: string; executionId?: string; namespace?: string; flowId?: string; revision: number; cursor: string }>;
  const rowsOf = async (ids: readonly string[]) => {
    const { rows } = await chronicle.platform.pool.query(
      `SELECT (SELECT count(*) FROM executions WHERE id = ANY($1))::int AS executions, (SELECT count(*) FROM task_runs WHERE execution_id = ANY($1))::int AS task_runs,
              (SELECT count(*) FROM logs WHERE execution_id = ANY($1))::int AS logs, (SELECT count(*) FROM audit_log WHERE execution_id = ANY($1))::int AS audit`,
      [ids],
    );
    return rows[0] as { executions: number; task_runs: number; logs: number; audit: number };
  };
  const events = async (id: string) => (await chronicle.platform.store.readStream(executionStreamId(id))).length;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_retention');
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${ADMIN},OPERATOR=${OPERATOR}`, CHRONICLE_LOG_LEVEL: 'warn' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    admin = new GatewayClient(chronicle.url, ADMIN);
    operator = new GatewayClient(chronicle.url, OPERATOR);
    for (const [ns, id, tasks] of [['audit.ns', 'quick', LOGS], ['audit.ns', 'paused', PAUSED], ['purge.a', 'quick', LOGS], ['purge.b', 'quick', LOGS]] as const) {
      await admin.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: flow(ns, id, tasks) });
    }
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  it('records who did what: the caller on create, resume and kill, the executor on its own decisions', async () => {
    const quick = await start(operator, 'audit.ns', 'quick');
    const resumed = await start(operator, 'audit.ns', 'paused');
    const killed = await start(operator, 'audit.ns', 'paused');
    await until(quick, 'SUCCESS');
    await until(resumed, 'PAUSED');
    await until(killed, 'PAUSED');
    await admin.data(`mutation($id:ID!){ resumeExecution(id:$id){ id } }`, { id: resumed });
    await operator.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: killed });
    await until(resumed, 'SUCCESS');
    await until(killed, 'KILLED');

    const ofQuick = await eventually('audit of the quick execution', async () => {
      const entries = await audit('executionId: ID!', { executionId: quick });
      return entries.length >= (await events(quick)) ? entries : undefined;
    });
    expect(ofQuick.length).toBe(await events(quick));
    expect(ofQuick.map((e) => e.revision)).toEqual(ofQuick.map((_, i) => i));
    expect(ofQuick[0]).toMatchObject({ action: 'ExecutionCreated', actor: OPERATOR_ACTOR, executionId: quick, namespace: 'audit.ns', flowId: 'quick' });
    expect(new Set(ofQuick.slice(1).map((e) => e.actor))).toEqual(new Set(['system:executor']));

    const ofResumed = await audit('executionId: ID!', { executionId: resumed });
    const resumeEvents = ofResumed.filter((e) => e.actor === ADMIN_ACTOR);
    expect(resumeEvents.length).toBeGreaterThan(0);
    // The resume's own events (the execution leaves PAUSED) name the admin; what follows is the executor's.
    expect(resumeEvents.map((e) => e.action)).toContain('ExecutionStateChanged');
    expect(ofResumed.slice(ofResumed.indexOf(resumeEvents.at(-1)!) + 1).every((e) => e.actor === 'system:executor')).toBe(true);
    const ofKilled = await audit('executionId: ID!', { executionId: killed });
    const byOperator = ofKilled.filter((e) => e.actor === OPERATOR_ACTOR).map((e) => e.action);
    expect(byOperator[0]).toBe('ExecutionCreated');
    expect(byOperator.slice(1)).toContain('ExecutionStateChanged');
    expect(new Set(ofKilled.map((e) => e.actor))).toEqual(new Set([OPERATOR_ACTOR, 'system:executor']));

    // Per namespace: the flows' deployments and every execution's events, in log order, paged.
    const ofNamespace = await audit('namespace: String!', { namespace: 'audit.ns' });
    expect(ofNamespace.filter((e) => e.action === 'FlowRevisionDeployed').map((e) => [e.flowId, e.actor])).toEqual([['quick', ADMIN_ACTOR], ['paused', ADMIN_ACTOR]]);
    expect(new Set(ofNamespace.filter((e) => e.executionId).map((e) => e.executionId))).toEqual(new Set([quick, resumed, killed]));
    const page1 = (await admin.data(`{ audit(namespace:"audit.ns", first: 3){ cursor } }`)).audit as Array<{ cursor: string }>;
    const page2 = (await admin.data(`query($a:String){ audit(namespace:"audit.ns", first: 3, after:$a){ cursor } }`, { a: page1[2]!.cursor })).audit as Array<{ cursor: string }>;
    expect([...page1, ...page2].map((e) => e.cursor)).toEqual(ofNamespace.slice(0, 6).map((e) => e.cursor));
  });

  it('purge: the dry run changes nothing and the real run removes exactly what it listed, read models and streams', async () => {
    const doomed = [await start(admin, 'purge.a', 'quick'), await start(admin, 'purge.a', 'quick'), await start(admin, 'purge.a', 'quick')];
    const kept = await start(admin, 'purge.b', 'quick');
    for (const id of [...doomed, kept]) await until(id, 'SUCCESS');
    // An execution read by id may come from the log (read-your-writes): wait for the read model itself to
    // hold the ended executions (their last events projected, so everything before them too) and their logs.
    await eventually('the ended executions and their logs projected', async () => {
      const { rows } = await chronicle.platform.pool.query(`SELECT count(*)::int AS n FROM executions WHERE id = ANY($1) AND state = 'SUCCESS'`, [doomed]);
      return rows[0].n === 3 && (await rowsOf(doomed)).logs >= 6;
    });
    const before = await rowsOf(doomed);
    const eventsBefore = await Promise.all(doomed.map(events));
    expect(before.executions).toBe(3);
    expect(eventsBefore.every((n) => n > 0)).toBe(true);

    const purge = `mutation($d:Boolean){ purgeExecutions(olderThanDays: 0, namespace: "purge.a", dryRun: $d){ executionIds count dryRun } }`;
    const dry = (await admin.data(purge, { d: true })).purgeExecutions;
    expect(dry).toEqual({ executionIds: expect.any(Array), count: 3, dryRun: true });
    expect([...dry.executionIds].sort()).toEqual([...doomed].sort());
    expect(await rowsOf(doomed)).toEqual(before);
    expect(await Promise.all(doomed.map(events))).toEqual(eventsBefore);

    const real = (await admin.data(purge, { d: false })).purgeExecutions;
    expect(real).toEqual({ executionIds: dry.executionIds, count: 3, dryRun: false });
    expect(await rowsOf(doomed)).toEqual({ executions: 0, task_runs: 0, logs: 0, audit: 0 });
    expect(await Promise.all(doomed.map(events))).toEqual([0, 0, 0]);
    for (const id of doomed) expect(await stateOf(id)).toBeUndefined();
    // A tombstone: the purged stream cannot be written again.
    await expect(chronicle.platform.store.append(executionStreamId(doomed[0]!), [{ id: crypto.randomUUID(), type: 'X', data: {}, metadata: { schemaVersion: 1, occurredAt: new Date().toISOString() } }], ANY))
      .rejects.toBeInstanceOf(StreamDeletedError);
    // Nothing else went.
    expect(await stateOf(kept)).toBe('SUCCESS');
    expect((await rowsOf([kept])).executions).toBe(1);
    expect(await events(kept)).toBeGreaterThan(0);
    expect((await admin.data(purge, { d: true })).purgeExecutions.count).toBe(0);
  });

  it('purge is ADMIN only, refuses live states and needs an age or a namespace', async () => {
    const denied = await operator.graphql(`mutation{ purgeExecutions(olderThanDays: 30){ count } }`);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const live = await admin.graphql(`mutation{ purgeExecutions(olderThanDays: 30, states: [RUNNING]){ count } }`);
    expect(live.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unbounded = await admin.graphql(`mutation{ purgeExecutions(dryRun: true){ count } }`);
    expect(unbounded.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
