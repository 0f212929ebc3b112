import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARK01_FLOW, createTestDatabase, eventually, untilTerminal, uniqueTopicPrefix, type GatewayClient, type TestDatabase } from '@chronicle/testing';
import { distributedEnv, startDistributed, startService, SERVICES_READY, type ServiceProcess } from './service-processes.js';
import { executionsOf } from './triggers.scenario.js';

const TOKEN = 'e2e-first-step-admin-token-0123456789';
const KEY = 'first-step-key-0123456789';

// Kestra's benchmark01 (two local tasks: the first decision runs them) under its own id, with a webhook.
const LOCAL_FLOW = `${BENCHMARK01_FLOW.replace('id: benchmark01\nnamespace: benchmarks\n', 'id: local\nnamespace: firststep\n')}triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: ${KEY}
    inputs:
      name: "{{ trigger.body.name }}"
`;

// A local task, then one only a worker runs (Echo goes to the worker pool).
const MIXED_FLOW = `id: mixed
namespace: firststep
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: before the worker
  - id: second
    type: Echo
    format: from the worker
`;

// Started by the scheduler when an execution of `local` succeeds.
const DOWNSTREAM_FLOW = `id: downstream
namespace: firststep
tasks:
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: "after {{ trigger.executionId }}"
triggers:
  - id: after-local
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: firststep
        flowId: local
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in: [SUCCESS]
`;

/**
 * The distributed gateway writes a start's first step (its start and the local tasks that follow)
 * in the same append as its creation, as standalone's executor does: one write, one commit for the
 * projection, and a flow of local tasks has ended before the gateway answers. Proven here by
 * running the services WITHOUT an executor first: only the gateway can have decided these steps.
 */
describe('distributed mode: a start\'s first step written by the gateway with its creation', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];
  let client: GatewayClient;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_first_step');
    env = distributedEnv(db.url, uniqueTopicPrefix('e2e-first'), `ADMIN=${TOKEN}`);
    // Projection, scheduler and gateway: no executor (hence no relay and no worker) until the last test starts one.
    client = await startDistributed(services, env, TOKEN, [{ app: 'scheduler', name: 'scheduler' }], { CHRONICLE_WEBHOOK_WAIT_TIMEOUT_MS: '30000' });
    for (const source of [LOCAL_FLOW, MIXED_FLOW, DOWNSTREAM_FLOW]) await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: source });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  it('ends a flow of local tasks in its creation\'s own write: the webhook\'s ?wait=true answers SUCCESS with no executor running', async () => {
    const res = await fetch(`${client.url}/api/v1/executions/webhook/firststep/local/${KEY}?wait=true`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada' }),
    });
    expect(res.status).toBe(200);
    const answer = await res.json() as { id: string; state: { current: string } };
    expect(answer.state.current).toBe('SUCCESS');
    // Its log line was stored with the end, in the projection's one transaction for the write: once
    // the read model (a list reads nothing else) shows the end, the line is there, once.
    await eventually('the end in the read model', async () => (await executionsOf(client, 'firststep', 'local')).some((e) => e.id === answer.id && e.state === 'SUCCESS'));
    const { logs } = await client.data(`query($id:ID!){ logs(executionId:$id){ taskId level message } }`, { id: answer.id });
    expect(logs).toEqual([{ taskId: 'hello', level: 'INFO', message: 'Hello Ada' }]);
    const followed = client.subscribe<{ executionLogs: { message: string } }>(`subscription($id:ID!){ executionLogs(id:$id){ message } }`, { id: answer.id });
    try {
      await eventually('the line over executionLogs', async () => followed.received.length > 0);
      expect(followed.errors).toEqual([]);
      expect(followed.received.map((m) => m.executionLogs.message)).toEqual(['Hello Ada']);
    } finally {
      followed.dispose();
    }
    // The read model folds the same write (the projection's one commit for it).
    const ended = await untilTerminal(client, answer.id);
    expect(ended.state).toBe('SUCCESS');
    const outputs = await client.data(`query($id:ID!){ execution(id:$id){ taskRuns { taskId state outputs } } }`, { id: answer.id });
    expect(outputs.execution.taskRuns).toEqual([
      { taskId: 'concatenate', state: 'SUCCESS', outputs: { values: { message: 'Hello Ada' } } },
      { taskId: 'hello', state: 'SUCCESS', outputs: {} },
    ]);
  }, 90_000);

  it('lets the scheduler write the first step of what a trigger starts: a Flow trigger\'s execution of local tasks ends with no executor running', async () => {
    // The scheduler indexes the trigger from the log: starts of `local` are repeated until one is seen after it.
    const started = await eventually('the downstream execution', async () => {
      await client.rest('POST', '/api/v1/executions/firststep/local', {});
      const list = await executionsOf(client, 'firststep', 'downstream');
      return list.length > 0 ? list[0] : undefined;
    }, 60_000, 1_000);
    const ended = await untilTerminal(client, started.id);
    expect(ended.state).toBe('SUCCESS');
    await eventually('the end in the read model', async () => (await executionsOf(client, 'firststep', 'downstream')).some((e) => e.id === started.id && e.state === 'SUCCESS'));
    const { logs } = await client.data(`query($id:ID!){ logs(executionId:$id){ taskId message } }`, { id: started.id });
    expect(logs).toEqual([{ taskId: 'report', message: `after ${started.trigger.executionId}` }]);
  }, 120_000);

  it('answers REST ?wait=true from that write too', async () => {
    const res = await client.rest('POST', '/api/v1/executions/firststep/local?wait=true', { name: 'Grace' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: { current: 'SUCCESS' }, namespace: 'firststep', flowId: 'local' });
  }, 60_000);

  it('leaves what follows a worker task to the executor, which continues from the gateway\'s write once it runs, and delivers the local task\'s log line', async () => {
    const { createExecution } = await client.data(`mutation { createExecution(namespace: "firststep", flowId: "mixed") { id } }`);
    const id = createExecution.id as string;
    // The gateway decided the start and the local task; the worker's task waits for an executor.
    const waiting = await eventually('the first step in the read model', async () => {
      const { execution } = await client.data(`query($id:ID!){ execution(id:$id){ state taskRuns { taskId state } } }`, { id });
      return execution?.taskRuns?.length === 2 ? execution : undefined;
    });
    expect(waiting).toEqual({ state: 'RUNNING', taskRuns: [{ taskId: 'first', state: 'SUCCESS' }, { taskId: 'second', state: 'CREATED' }] });

    const executor = startService('executor', 'executor', env);
    services.push(executor);
    await executor.waitFor(SERVICES_READY);
    const ended = await untilTerminal(client, id);
    expect(ended.state).toBe('SUCCESS');
    const lines = await eventually('both tasks\' log lines', async () => {
      const { logs } = await client.data(`query($id:ID!){ logs(executionId:$id){ taskId message } }`, { id });
      const nodes = (logs ?? []) as { taskId: string; message: string }[];
      return nodes.some((n) => n.taskId === 'first') && nodes.some((n) => n.taskId === 'second') ? nodes : undefined;
    });
    expect(lines.find((n) => n.taskId === 'first')?.message).toBe('before the worker');
  }, 120_000);
});
