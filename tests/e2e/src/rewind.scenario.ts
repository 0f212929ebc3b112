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
    expect((await rewound.json()).id).toBe(id);
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
}
