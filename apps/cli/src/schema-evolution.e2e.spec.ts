import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decide, evolve, executionStreamId, flowStreamId, parseFlow, type ExecutionCommand, type ExecutionEvent, type ExecutionState, type FlowDefinition,
} from '@chronicle/domain';
import { type EventData } from '@chronicle/event-store';
import { PostgresEventStore } from '@chronicle/event-store/postgres';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { createTestDatabase, eventually, type TestDatabase } from '@chronicle/testing';
import { cliAgainst, type CliRunner } from './test-support/cli-runner.js';
import { CORE_TASK_CATALOG } from '@chronicle/domain';

const ADMIN = 'schema-evolution-admin-token-01';
const AT = '2025-06-01T00:00:00.000Z';
const CHILD_V1 = 'id: child\nnamespace: ops\ntasks:\n  - { id: say, type: OutputValues, values: { from: revision-1 } }\n';
const CHILD_V2 = 'id: child\nnamespace: ops\ntasks:\n  - { id: say, type: OutputValues, values: { from: revision-2 } }\n';
const PARENT = 'id: parent\nnamespace: ops\ntasks:\n  - { id: call, type: Subflow, namespace: ops, flowId: child, revision: 1 }\n';

const deployed = (flow: FlowDefinition, source: string): EventData => ({
  id: randomUUID(), type: 'FlowRevisionDeployed',
  data: { namespace: flow.namespace, flowId: flow.id, revision: flow.revision, source, definition: flow, at: AT },
  metadata: { schemaVersion: 1, occurredAt: AT, actor: 'old-version' },
});

/**
 * What an installation of the previous version wrote: a parent execution waiting for the child
 * its Subflow task asked for, with ChildExecutionRequested in its v1 shape (`revision`, not
 * `flowRevision`) and schemaVersion 1; the child not created yet.
 */
function parentStreamAsV1(parentFlow: FlowDefinition, executionId: string): EventData[] {
  let state: ExecutionState = undefined;
  const events: ExecutionEvent[] = [];
  for (const command of [
    { type: 'CreateExecution', executionId, flow: parentFlow, inputs: {}, now: AT },
    { type: 'AdvanceExecution', executionId, now: AT },
  ] as ExecutionCommand[]) {
    for (const event of decide(command, state, { taskTypes: CORE_TASK_CATALOG, flow: parentFlow })) {
      state = evolve(state, event);
      events.push(event);
    }
  }
  expect(events.map((e) => e.type)).toContain('ChildExecutionRequested');
  return events.map((event) => {
    let data = event.data as Record<string, unknown>;
    if (event.type === 'ChildExecutionRequested') {
      const { flowRevision, ...rest } = data;
      data = { ...rest, revision: flowRevision };
    }
    return { id: randomUUID(), type: event.type, data, metadata: { schemaVersion: 1, occurredAt: AT, actor: 'old-version' } };
  });
}

describe('event schema evolution: v1 events written by the previous version, read by this one', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let cli: CliRunner;
  const parentId = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('schema_evolution');
    const store = new PostgresEventStore({ connectionString: db.url, poolSize: 2 });
    await store.ensureSchema();
    const child1 = parseFlow(CHILD_V1, CORE_TASK_CATALOG, 1);
    const child2 = parseFlow(CHILD_V2, CORE_TASK_CATALOG, 2);
    const parent = parseFlow(PARENT, CORE_TASK_CATALOG, 1);
    await store.append(flowStreamId('ops', 'child'), [deployed(child1, CHILD_V1), deployed(child2, CHILD_V2)], 'no_stream');
    await store.append(flowStreamId('ops', 'parent'), [deployed(parent, PARENT)], 'no_stream');
    await store.append(executionStreamId(parentId), parentStreamAsV1(parent, parentId), 'no_stream');
    await store.close();

    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${ADMIN}`, CHRONICLE_LOG_LEVEL: 'silent' });
    chronicle = await startStandalone(config, createLogger('schema-evolution', 'silent'));
    cli = cliAgainst(chronicle.url, ADMIN);
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  it('runs the stored execution on: the child is created at the revision the v1 event named, and the parent ends', async () => {
    const parent = await eventually('the parent to end', async () => {
      const execution = await cli.json(['executions', 'get', parentId]);
      return execution.state === 'SUCCESS' ? execution : undefined;
    });
    const [child] = (await cli.json(['executions', 'list', '--parent', parentId])).edges.map((e: { node: { id: string } }) => e.node);
    // Without the upcaster the child would run the latest revision (2).
    expect(await cli.json(['executions', 'get', child.id])).toMatchObject({ flowId: 'child', flowRevision: 1, state: 'SUCCESS' });
    expect(parent.taskRuns[0]).toMatchObject({ taskId: 'call', state: 'SUCCESS' });
  });

  it('shows the v1 event in the current shape in the history API', async () => {
    const history = await cli.json(['executions', 'history', parentId]);
    const requested = history.find((e: { type: string }) => e.type === 'ChildExecutionRequested');
    expect(requested.data.flowRevision).toBe(1);
    expect(requested.data).not.toHaveProperty('revision');
    const lines = (await cli(['executions', 'history', parentId])).stdout;
    expect(lines).toMatch(/ChildExecutionRequested\s+call → child \S+ \(ops\.child rev 1\)/);
  });

  it('rebuilds the read model from the mixed v1 and v2 log to the same executions', async () => {
    const before = await cli.json(['executions', 'list', '--namespace', 'ops']);
    const rebuild = await cli(['projections', 'rebuild']);
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(rebuild.stdout).toContain('rebuild DONE');
    const after = await cli.json(['executions', 'list', '--namespace', 'ops']);
    expect(after.edges.map((e: { node: unknown }) => e.node)).toEqual(before.edges.map((e: { node: unknown }) => e.node));
    const status = (await cli.json(['projections', 'status'])).find((p: { name: string }) => p.name === 'executions');
    expect(status.errors).toBe(0);
  });
});
