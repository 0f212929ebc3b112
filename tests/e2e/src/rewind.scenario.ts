import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';

/**
 * Savepoints and rewind (issue 15, item 5), the same in every mode: an execution that failed is
 * rewound in place before the failing task (same id), which runs again as a new attempt with
 * what an operator steered since (its labels), and the execution ends SUCCESS. The log keeps the
 * failed branch and the rewind; a point that is not offered is refused naming the field, and an
 * OPERATOR may not rewind (EDITOR of the namespace).
 */
export const REWIND_NS = 'rewind.e2e';

const FLOW = `id: fixable
namespace: ${REWIND_NS}
savepointRetention: ALL
tasks:
  - { id: first, type: io.kestra.plugin.core.output.OutputValues, values: { v: one } }
  - id: check
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ labels.fixed == 'no' }}"
    errorMessage: not fixed yet
  - { id: last, type: io.kestra.plugin.core.output.OutputValues, values: { v: "{{ outputs.first.values.v }}" } }
`;

const VIEW = `id state labels availableActions savepoints { revision taskId taskRunId }
  rewinds { toRevision taskId reason by } taskRuns { id taskId state attempts { number state } }`;

export function rewindScenario(client: () => GatewayClient, operatorToken: string): void {
  it('rewinds a failed execution in place before a task: new attempt, same id, the log keeps everything', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: FLOW });
    const { createExecution } = await c.data(`mutation { createExecution(namespace:"${REWIND_NS}", flowId:"fixable", labels: { fixed: "no" }){ id } }`);
    const id = createExecution.id as string;
    await untilTerminal(c, id, 60_000);
    const failed = await eventually('failed and projected with its savepoints', async () => {
      const { execution } = await c.data(`query($id:ID!){ execution(id:$id){ ${VIEW} } }`, { id });
      return execution.state === 'FAILED' && execution.savepoints.length === 2 ? execution : undefined;
    }, 60_000);
    expect(failed.savepoints.map((s: { taskId: string }) => s.taskId)).toEqual(['first', 'check']);
    expect(failed.availableActions).toContain('REWIND');

    // An OPERATOR may run it but not rewind it; a point that is not offered names the field.
    const denied = await c.graphql(`mutation($id:ID!){ rewindExecution(id:$id, beforeTaskId:"check"){ id } }`, { id }, operatorToken);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await c.rest('POST', `/api/v1/executions/${id}/rewind`, { toRevision: 9999 });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/toRevision.*not a savepoint/);
    const noTask = await c.graphql(`mutation($id:ID!){ rewindExecution(id:$id, beforeTaskId:"nope"){ id } }`, { id });
    expect(noTask.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(noTask.errors?.[0]?.message).toMatch(/^beforeTaskId: .*no savepoint before task nope/);

    // Fixed by an operator, then rewound (REST) before the failing task: it runs again and passes.
    await c.data(`mutation($id:ID!){ updateExecution(id:$id, labels: { fixed: "yes" }){ id } }`, { id });
    await eventually('label projected', async () => (await c.data(`query($id:ID!){ execution(id:$id){ labels } }`, { id })).execution.labels.fixed === 'yes', 60_000);
    const rewound = await c.rest('POST', `/api/v1/executions/${id}/rewind`, { beforeTaskId: 'check', reason: 'the label is fixed' });
    expect(rewound.status, await rewound.clone().text()).toBe(200);
    expect(((await rewound.json()) as any).id).toBe(id);
    const done = await eventually('ran on to SUCCESS', async () => {
      const { execution } = await c.data(`query($id:ID!){ execution(id:$id){ ${VIEW} } }`, { id });
      return execution.state === 'SUCCESS' ? execution : undefined;
    }, 60_000);
    expect(done.rewinds).toEqual([{ toRevision: failed.savepoints[1].revision, taskId: 'check', reason: 'the label is fixed', by: expect.any(String) }]);
    const check = done.taskRuns.find((t: { taskId: string }) => t.taskId === 'check');
    expect(check.attempts).toEqual([{ number: 1, state: 'FAILED' }, { number: 2, state: 'SUCCESS' }]);
    expect(done.taskRuns.map((t: { taskId: string; state: string }) => `${t.taskId}:${t.state}`)).toEqual(['first:SUCCESS', 'check:SUCCESS', 'last:SUCCESS']);

    // The log keeps the failed branch and the rewind itself.
    const { executionHistory } = await c.data(`query($id:ID!){ executionHistory(id:$id){ type } }`, { id });
    const types = executionHistory.map((e: { type: string }) => e.type);
    expect(types).toContain('ExecutionFailed');
    expect(types.indexOf('ExecutionRewound')).toBeGreaterThan(types.indexOf('ExecutionFailed'));
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });

  it('a rewind kills the children the abandoned branch started (the reason names the rewind) and arms the maxRuntime that had fired again', async () => {
    const c = client();
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: lingering\nnamespace: ${REWIND_NS}\ntasks:\n  - { id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT5M }\n` });
    await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: spawner
namespace: ${REWIND_NS}
savepointRetention: ALL
tasks:
  - { id: first, type: io.kestra.plugin.core.output.OutputValues, values: { v: one } }
  - { id: launch, type: io.kestra.plugin.core.flow.Subflow, namespace: ${REWIND_NS}, flowId: lingering, wait: false }
  - { id: hold, type: io.kestra.plugin.core.flow.Sleep, duration: PT5M }
` });
    const { createExecution } = await c.data(`mutation { createExecution(namespace:"${REWIND_NS}", flowId:"spawner", maxRuntime: "PT15S"){ id } }`);
    const id = createExecution.id as string;
    const CHILDREN = `query($id:ID!){ execution(id:$id){ state killReason stateHistory { state } children { id state killReason } } }`;
    const killed = await eventually('killed by its maxRuntime, its child still running', async () => {
      const { execution } = await c.data(CHILDREN, { id });
      return execution.state === 'KILLED' && execution.children.length === 1 && execution.children[0].state === 'RUNNING' ? execution : undefined;
    }, 60_000);
    expect(killed.killReason).toBe('the execution exceeded its maxRuntime PT15S');
    const abandoned = killed.children[0].id as string;

    const rewound = await c.rest('POST', `/api/v1/executions/${id}/rewind`, { beforeTaskId: 'launch', reason: 'run it again' });
    expect(rewound.status, await rewound.clone().text()).toBe(200);
    const child = await eventually('the abandoned child killed', async () => {
      const { execution } = await c.data(`query($id:ID!){ execution(id:$id){ state killReason } }`, { id: abandoned });
      return execution.state === 'KILLED' ? execution : undefined;
    }, 60_000);
    expect(child.killReason).toMatch(/^rewound to revision \d+ \(before task launch\): the branch that started it was abandoned$/);
    // The run goes on with a new child, and its maxRuntime, armed again from the rewind, ends it a second time.
    const again = await eventually('killed again by the re-armed maxRuntime', async () => {
      const { execution } = await c.data(CHILDREN, { id });
      return execution.stateHistory.filter((h: { state: string }) => h.state === 'KILLED').length === 2 && execution.children.length === 2 ? execution : undefined;
    }, 60_000);
    expect(again.state).toBe('KILLED');
    expect(again.killReason).toBe('the execution exceeded its maxRuntime PT15S');
    const fresh = again.children.find((x: { id: string }) => x.id !== abandoned).id as string;
    await c.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: fresh });
    expect((await untilTerminal(c, fresh, 60_000)).state).toBe('KILLED');
  }, 180_000);
}
