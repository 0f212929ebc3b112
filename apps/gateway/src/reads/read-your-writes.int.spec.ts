import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toEventData } from '@chronicle/contracts';
import { decide, evolve, executionStreamId, type Execution } from '@chronicle/domain';
import { toDomainEvent } from '@chronicle/contracts';
import { eventually } from '@chronicle/testing';
import { startGateway, type GatewayHarness } from '../test-support/gateway.harness.js';

const FLOW = `id: ryw\nnamespace: clients.ryw\ntasks:\n  - id: hello\n    type: Log\n    message: hi\n`;

/** Read-your-writes over the real Postgres event store and read model (the projector lags or is stopped). */
describe('read-your-writes for one execution by id', () => {
  let h: GatewayHarness;
  const get = (path: string) => fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${h.client().token}` } });
  const start = async () => {
    const res = await fetch(`${h.url}/api/v1/executions/clients.ryw/ryw`, { method: 'POST', headers: { authorization: `Bearer ${h.client().token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    return (await res.json()) as { id: string; revision: number };
  };

  beforeAll(async () => {
    h = await startGateway();
    await h.client().data(`mutation($s: String!) { deployFlow(source: $s) { revision } }`, { s: FLOW });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('never answers 404 or an older revision right after a start (REST and GraphQL, tight loop)', async () => {
    for (let i = 0; i < 25; i++) {
      const started = await start();
      expect(started.revision).toBe(0);
      const rest = await get(`/api/v1/executions/${started.id}?minRevision=${started.revision}`);
      expect(rest.status).toBe(200);
      expect(((await rest.json()) as { revision: number }).revision).toBeGreaterThanOrEqual(started.revision);
      const plain = await get(`/api/v1/executions/${started.id}`);
      expect(plain.status).toBe(200);
      const gql = await h.client().data<{ execution: { id: string; revision: number } | null }>(
        `query($id: ID!, $r: Int) { execution(id: $id, minRevision: $r) { id revision } }`, { id: started.id, r: started.revision });
      expect(gql.execution?.id).toBe(started.id);
    }
  });

  it('answers from the log while the projector is stopped, never older than the log or minRevision; a minRevision never written is a 400 naming it', async () => {
    const started = await start();
    await h.settle();
    await h.projector.stop();
    // Played executor: kill the execution while the read model cannot see it.
    const events = await h.platform.store.readStream(executionStreamId(started.id));
    let state: Execution | undefined;
    for (const e of events) state = evolve(state, toDomainEvent(e));
    const flow = (await h.platform.flows.require(state!.namespace, state!.flowId, state!.flowRevision)).definition;
    const killed = decide({ type: 'KillExecution', executionId: started.id, now: '2025-01-01T00:00:05.000Z' }, state, { flow, taskTypes: h.platform.flows.taskTypes, localTasks: false });
    await h.platform.store.append(executionStreamId(started.id), toEventData(killed, { correlationId: started.id }), BigInt(events.length - 1));
    const latest = events.length - 1 + killed.length;

    // Without minRevision too: never older than the log (the read model's row is at revision 0).
    expect((await h.readModel.queries.getExecution(started.id))?.revision).toBe(0);
    const plain = await get(`/api/v1/executions/${started.id}`);
    expect(await plain.json()).toMatchObject({ revision: latest, state: { current: 'KILLED' } });
    const fresh = await get(`/api/v1/executions/${started.id}?minRevision=${latest}`);
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toMatchObject({ id: started.id, revision: latest, state: { current: 'KILLED' } });
    const gql = await h.client().data<{ execution: { state: string; revision: number } }>(
      `query($id: ID!, $r: Int) { execution(id: $id, minRevision: $r) { state revision } }`, { id: started.id, r: latest });
    expect(gql.execution).toEqual({ state: 'KILLED', revision: latest });

    const other = await start();
    const missing = await get(`/api/v1/executions/${other.id}`);
    expect(missing.status).toBe(200);

    const bad = await get(`/api/v1/executions/${started.id}?minRevision=abc`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/minRevision/);
    const future = await get(`/api/v1/executions/${started.id}?minRevision=${latest + 50}`);
    expect(future.status).toBe(400);
    expect(((await future.json()) as { message: string }).message).toMatch(/minRevision/);

    // Once the read model catches up, it answers exactly what the log's fold answered: one view, two sources.
    const fromLog = await (await get(`/api/v1/executions/${started.id}`)).json();
    const fromLogGql = await h.client().data(`query($id: ID!) { execution(id: $id) { id state revision inputs labels stateHistory { state date } taskRuns { id state attempts { number state } } killReason } }`, { id: started.id });
    await h.projector.start();
    await eventually('the read model at the log\'s revision', async () => (await h.readModel.queries.getExecution(started.id))?.revision === latest, 10_000);
    expect(await (await get(`/api/v1/executions/${started.id}`)).json()).toEqual(fromLog);
    expect(await h.client().data(`query($id: ID!) { execution(id: $id) { id state revision inputs labels stateHistory { state date } taskRuns { id state attempts { number state } } killReason } }`, { id: started.id })).toEqual(fromLogGql);
  }, 30_000);
});
