import { expect, it } from 'vitest';
import { BENCHMARK01_FLOW, EXECUTION_FIELDS } from './benchmark01.flow.js';
import { eventually, type GatewayClient } from './gateway-client.js';

const TERMINAL = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED']);

export async function untilTerminal(client: GatewayClient, id: string, timeoutMs = 60_000): Promise<any> {
  return eventually(`execution ${id} to end`, async () => {
    const { execution } = await client.data(`query($id:ID!){ execution(id:$id){ ${EXECUTION_FIELDS} } }`, { id });
    return execution && TERMINAL.has(execution.state) ? execution : undefined;
  }, timeoutMs);
}

/**
 * The foundation's end-to-end checks, the same in every mode: deploy benchmark01, start it
 * through GraphQL and through REST, see SUCCESS with the rendered output, the live states
 * over graphql-ws, the event history 0..n, and clear errors for bad input.
 */
export function foundationScenario(client: () => GatewayClient): void {
  it('deploys benchmark01, runs it from GraphQL with live updates over graphql-ws, and keeps its history', async () => {
    const c = client();
    const { deployFlow } = await c.data(`mutation($s:String!){ deployFlow(source:$s){ namespace id revision tasks } }`, { s: BENCHMARK01_FLOW });
    expect(deployFlow).toMatchObject({ namespace: 'benchmarks', id: 'benchmark01' });
    const again = await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: BENCHMARK01_FLOW });
    expect(again.deployFlow.revision).toBe(deployFlow.revision);

    const changes = c.subscribe<{ executionsChanged: { id: string; state: string } }>(
      `subscription { executionsChanged(namespace: "benchmarks", flowId: "benchmark01") { id state } }`, {});
    await new Promise((r) => setTimeout(r, 300)); // let the subscription reach the server before the start
    try {
      const { createExecution } = await c.data(
        `mutation($i:JSON){ createExecution(namespace:"benchmarks", flowId:"benchmark01", inputs:$i){ ${EXECUTION_FIELDS} } }`,
        { i: { name: 'Chronicle' } });
      expect(createExecution.state).toBe('CREATED');
      expect(createExecution.originalId).toBe(createExecution.id);
      const done = await untilTerminal(c, createExecution.id);
      expect(done.state).toBe('SUCCESS');
      expect(done.stateHistory.map((h: any) => h.state)).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);
      expect(done.inputs).toEqual({ name: 'Chronicle' });
      expect(done.taskRuns.map((t: any) => [t.taskId, t.state])).toEqual([['concatenate', 'SUCCESS'], ['hello', 'SUCCESS']]);
      expect(done.taskRuns[0].outputs).toEqual({ values: { message: 'Hello Chronicle' } });
      expect(done.taskRuns[0].attempts).toEqual([expect.objectContaining({ number: 1, state: 'SUCCESS' })]);

      const seen = await eventually('SUCCESS over graphql-ws', async () => {
        const states = changes.received.filter((m) => m.executionsChanged.id === createExecution.id).map((m) => m.executionsChanged.state);
        // Every change arrives (task-run progress too); the execution's states, in order, are what matter here.
        const distinct = states.filter((s, i) => i === 0 || s !== states[i - 1]);
        return states.includes('SUCCESS') ? distinct : undefined;
      }, 10_000);
      expect(changes.errors).toEqual([]);
      expect(seen).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);

      const { executionHistory } = await c.data(`query($id:ID!){ executionHistory(id:$id){ position revision type data occurredAt } }`, { id: createExecution.id });
      expect(executionHistory.map((e: any) => e.revision)).toEqual(executionHistory.map((_: unknown, i: number) => i));
      expect(executionHistory[0].type).toBe('ExecutionCreated');
      expect(executionHistory.at(-1).type).toBe('ExecutionSucceeded');
      const positions = executionHistory.map((e: any) => BigInt(e.position));
      expect(positions.every((p: bigint, i: number) => i === 0 || p > positions[i - 1])).toBe(true);

      const { logs } = await c.data(`query($id:ID!){ logs(executionId:$id){ level message } }`, { id: createExecution.id });
      expect(logs).toEqual([{ level: 'INFO', message: 'Hello Chronicle' }]);
    } finally {
      changes.dispose();
    }
  });

  it('streams one execution over executionUpdated, starting with its current state', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: BENCHMARK01_FLOW });
    const { createExecution } = await c.data(`mutation{ createExecution(namespace:"benchmarks", flowId:"benchmark01"){ id } }`);
    const sub = c.subscribe<{ executionUpdated: { state: string; revision: number } }>(
      `subscription($id:ID!){ executionUpdated(id:$id){ state revision } }`, { id: createExecution.id });
    try {
      await eventually('SUCCESS over executionUpdated', async () => sub.received.some((m) => m.executionUpdated.state === 'SUCCESS'), 15_000);
      const revisions = sub.received.map((m) => m.executionUpdated.revision);
      expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
      expect(new Set(revisions).size).toBe(revisions.length);
    } finally {
      sub.dispose();
    }
  });

  it('starts benchmark01 through the REST API with Kestra\'s answer shape', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: BENCHMARK01_FLOW });
    const res = await c.rest('POST', '/api/v1/executions/benchmarks/benchmark01', { name: 'Rest' });
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body).toMatchObject({ namespace: 'benchmarks', flowId: 'benchmark01', state: { current: 'CREATED' }, originalId: body.id });
    // The live monitor's page of the execution (issue 15: `url` under CHRONICLE_PUBLIC_URL, the request's host by default).
    expect(body.url).toBe(`${c.url}/executions/${body.id}`);
    const done = await untilTerminal(c, body.id);
    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns[0].outputs.values.message).toBe('Hello Rest');
    const get = await c.rest('GET', `/api/v1/executions/${body.id}`);
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).state.current).toBe('SUCCESS');
  });

  it('rejects bad input with errors that say what and where, and writes nothing', async () => {
    const c = client();
    const malformed = await c.graphql(`mutation($s:String!){ deployFlow(source:$s){ id } }`, { s: 'id: broken\nnamespace: x\ntasks:\n  - id: a\n    type: Log\n   message: [unclosed\n' });
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0]?.message).toMatch(/line \d+/);

    const missingVariable = await c.graphql(`query($id:ID!){ execution(id:$id){ id } }`, {});
    expect(missingVariable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(missingVariable.errors?.[0]?.message).toMatch(/\$id/);

    const noId = await c.graphql(`mutation($s:String!){ deployFlow(source:$s){ id } }`, { s: 'namespace: x\ntasks:\n  - id: a\n    type: Log\n    message: hi\n' });
    expect(noId.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(noId.errors?.[0]?.message).toMatch(/\bid\b/);

    const unknownType = await c.graphql(`mutation($s:String!){ deployFlow(source:$s){ id } }`, { s: 'id: u\nnamespace: bad.input\ntasks:\n  - id: a\n    type: io.example.Nope\n' });
    expect(unknownType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknownType.errors?.[0]?.message).toMatch(/io\.example\.Nope.*line 5/s);
    const { flow } = await c.data(`{ flow(namespace:"bad.input", id:"u"){ id } }`);
    expect(flow).toBeNull();

    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: 'id: typed\nnamespace: bad.input\ninputs:\n  - id: count\n    type: INT\n  - id: flag\n    type: BOOLEAN\ntasks:\n  - id: a\n    type: Log\n    message: "{{ inputs.count }}"\n' });
    const before = await c.data(`{ executions(namespace:"bad.input"){ totalCount } }`);
    const wrongType = await c.graphql(`mutation{ createExecution(namespace:"bad.input", flowId:"typed", inputs:{count:"many", flag:"maybe"}){ id } }`);
    expect(wrongType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(wrongType.errors?.[0]?.message).toMatch(/count/);
    expect(wrongType.errors?.[0]?.message).toMatch(/flag/);
    const restWrong = await c.rest('POST', '/api/v1/executions/bad.input/typed', { count: 'many', flag: true });
    expect(restWrong.status).toBe(400);
    expect(((await restWrong.json()) as any).message).toMatch(/count/);

    const unknownFlow = await c.graphql(`mutation{ createExecution(namespace:"nope", flowId:"missing"){ id } }`);
    expect(unknownFlow.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await c.rest('POST', '/api/v1/executions/nope/missing', {})).status).toBe(404);
    expect((await c.rest('GET', '/api/v1/executions/does-not-exist')).status).toBe(404);

    const after = await c.data(`{ executions(namespace:"bad.input"){ totalCount } }`);
    expect(after.executions.totalCount).toBe(before.executions.totalCount);
  });

  it('refuses requests without a valid token', async () => {
    const c = client();
    const anonymous = await c.graphql(`{ flows { id } }`, {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await c.graphql(`{ flows { id } }`, {}, 'not-a-real-token-0000000000');
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const rest = await fetch(`${c.url}/api/v1/executions/x`, { headers: {} });
    expect(rest.status).toBe(401);
  });
}
