import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';

/**
 * Cloudomation's named locks and breakpoints (issue 15, items 4 and 6), the same in every mode:
 * an execution waits (visibly, with the holder) for a lock another holds and runs once it is
 * released; a task holds its own lock; an ADMIN force-releases one; a run pauses before its
 * breakpoints with the task's rendered properties, and the operator steps, skips, continues or
 * aborts, also after `restart` (every service restarted while it is paused); bad input is
 * refused naming the field, with nothing created.
 */
export const LOCKS_NS = 'locks.e2e';

const LOCK_FIELDS = 'id state lockClaims { taskRunId names state since } lockHolders { name holder { executionId taskRunId } waiters { executionId } }';
const BREAK_FIELDS = 'id state stepMode breakpoints taskRuns { id taskId state breakpoint { properties error } }';

const deploy = async (c: GatewayClient, source: string): Promise<void> => {
  await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: source });
};
const start = async (c: GatewayClient, flowId: string, extra = '', inputs: Record<string, unknown> = {}): Promise<string> =>
  (await c.data(`mutation($i:JSON){ createExecution(namespace:"${LOCKS_NS}", flowId:"${flowId}", inputs:$i ${extra}){ id } }`, { i: inputs })).createExecution.id;
const read = async (c: GatewayClient, id: string, fields: string) => (await c.data(`query($id:ID!){ execution(id:$id){ ${fields} } }`, { id })).execution;
const count = async (c: GatewayClient, flowId: string): Promise<number> =>
  (await c.data(`query($f:String!){ executions(namespace:"${LOCKS_NS}", flowId:$f){ totalCount } }`, { f: flowId })).executions.totalCount;

export function locksAndBreakpointsScenario(client: () => GatewayClient, restart: () => Promise<void>): void {
  it('an execution waits for a lock another holds, shows who holds it, and runs once it is released', async () => {
    const c = client();
    await deploy(c, `id: migrate
namespace: ${LOCKS_NS}
inputs:
  - { id: db, type: STRING, defaults: main }
locks: ["db/{{ inputs.db }}"]
tasks:
  - { id: work, type: io.kestra.plugin.core.flow.Sleep, duration: PT3S }
`);
    const first = await start(c, 'migrate');
    await eventually('the first holds the lock', async () => (await read(c, first, LOCK_FIELDS)).lockClaims.some((l: { state: string }) => l.state === 'HELD'), 60_000);
    const second = await start(c, 'migrate');
    const waiting = await eventually('the second waits', async () => {
      const e = await read(c, second, LOCK_FIELDS);
      // The claim is in the log first, then in the lock table (the executor queues it): wait for both.
      return e.lockClaims[0]?.state === 'WAITING' && e.lockHolders[0]?.waiters.length > 0 ? e : undefined;
    }, 60_000);
    expect(waiting.state).toBe('CREATED');
    expect(waiting.lockClaims).toEqual([expect.objectContaining({ names: ['db/main'], state: 'WAITING', taskRunId: null })]);
    expect(waiting.lockHolders).toEqual([{ name: 'db/main', holder: { executionId: first, taskRunId: null }, waiters: [{ executionId: second }] }]);
    const listed = await (await c.rest('GET', '/api/v1/locks?name=db/main')).json();
    expect(listed).toEqual([expect.objectContaining({ name: 'db/main', holder: expect.objectContaining({ executionId: first }), waiters: [expect.objectContaining({ executionId: second })] })]);
    expect((await untilTerminal(c, first, 60_000)).state).toBe('SUCCESS');
    expect((await untilTerminal(c, second, 60_000)).state).toBe('SUCCESS');
    // Its start came after the first's end: the lock was never held twice.
    const [a, b] = await Promise.all([first, second].map((id) => read(c, id, 'startDate endDate stateHistory { state date }')));
    const runningB = b.stateHistory.find((h: { state: string }) => h.state === 'RUNNING').date;
    expect(Date.parse(runningB)).toBeGreaterThanOrEqual(Date.parse(a.endDate));
    const events = (await c.data(`query($id:ID!){ executionHistory(id:$id){ type } }`, { id: second })).executionHistory.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(['LocksRequested', 'LocksAcquired', 'LocksReleased']));
    // The release reaches the lock table right after the end: then nobody holds it.
    await eventually('the lock is free', async () => ((await (await c.rest('GET', '/api/v1/locks?name=db/main')).json()) as unknown[]).length === 0, 60_000);
  });

  it('a task holds its own lock; an ADMIN force-releases it and the waiting task goes on', async () => {
    const c = client();
    await deploy(c, `id: exporter
namespace: ${LOCKS_NS}
inputs:
  - { id: wait, type: STRING, defaults: PT60S }
tasks:
  - id: export
    type: io.kestra.plugin.core.flow.Sleep
    duration: "{{ inputs.wait }}"
    locks: [exports]
`);
    const slow = await start(c, 'exporter');
    await eventually('the slow one holds the task lock', async () => (await read(c, slow, LOCK_FIELDS)).lockClaims.some((l: { state: string; taskRunId: string | null }) => l.state === 'HELD' && l.taskRunId !== null), 60_000);
    const quick = await start(c, 'exporter', '', { wait: 'PT1S' });
    const waiting = await eventually('the quick one waits', async () => {
      const e = await read(c, quick, `${LOCK_FIELDS} taskRuns { id taskId state }`);
      return e.lockClaims[0]?.state === 'WAITING' ? e : undefined;
    }, 60_000);
    expect(waiting.state).toBe('RUNNING');
    expect(waiting.taskRuns).toEqual([expect.objectContaining({ taskId: 'export', state: 'CREATED' })]);
    await eventually('the lock table queued it', async () => {
      const { namedLocks } = await c.data(`query { namedLocks(name:"exports"){ waiters { executionId } } }`);
      return namedLocks[0]?.waiters.length === 1;
    }, 60_000);
    const { releaseLock } = await c.data(`mutation { releaseLock(name:"exports"){ name previousHolder { executionId } grantedTo } }`);
    expect(releaseLock).toEqual({ name: 'exports', previousHolder: { executionId: slow }, grantedTo: [waiting.lockClaims[0].taskRunId] });
    expect((await untilTerminal(c, quick, 60_000)).state).toBe('SUCCESS');
    await eventually('the revoke is in the holder\'s log', async () => {
      const events = (await c.data(`query($id:ID!){ executionHistory(id:$id){ type } }`, { id: slow })).executionHistory;
      return events.some((e: { type: string }) => e.type === 'LockRevoked');
    }, 60_000);
    // The ended execution's lock is released by the executor after its end is recorded: wait for it, then nothing is left to release.
    await eventually('the quick one released the lock', async () => {
      const { namedLocks } = await c.data(`query { namedLocks(name:"exports"){ holder { executionId } waiters { executionId } } }`);
      return !namedLocks[0]?.holder && (namedLocks[0]?.waiters.length ?? 0) === 0;
    });
    const again = await c.rest('DELETE', '/api/v1/locks?name=exports');
    expect(again.status).toBe(404);
    await c.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: slow });
    expect((await untilTerminal(c, slow, 60_000)).state).toBe('KILLED');
  });

  it('a restart of a failed run takes its flow\'s lock again: it waits RESTARTED, showing the holder, and runs once it is free', async () => {
    const c = client();
    await deploy(c, `id: fragile
namespace: ${LOCKS_NS}
locks: [warehouse]
tasks:
  - id: check
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ labels.fixed == 'no' }}"
    errorMessage: not fixed yet
  - { id: done, type: io.kestra.plugin.core.log.Log, message: done }
`);
    await deploy(c, `id: occupant\nnamespace: ${LOCKS_NS}\nlocks: [warehouse]\ntasks:\n  - { id: hold, type: io.kestra.plugin.core.flow.Sleep, duration: PT60S }\n`);
    const failed = await start(c, 'fragile', ', labels: { fixed: "no" }');
    expect((await untilTerminal(c, failed, 60_000)).state).toBe('FAILED');
    // Its lock went with its end: another execution takes it before the restart.
    await eventually('the failed run\'s lock is free', async () => ((await (await c.rest('GET', '/api/v1/locks?name=warehouse')).json()) as unknown[]).length === 0, 60_000);
    const occupant = await start(c, 'occupant');
    await eventually('the occupant holds the lock', async () => (await read(c, occupant, LOCK_FIELDS)).lockClaims.some((l: { state: string }) => l.state === 'HELD'), 60_000);
    await c.data(`mutation($id:ID!){ updateExecution(id:$id, labels: { fixed: "yes" }){ id } }`, { id: failed });
    await c.data(`mutation($id:ID!){ restartExecution(id:$id){ id } }`, { id: failed });
    const waiting = await eventually('the restart waits for the lock', async () => {
      const e = await read(c, failed, LOCK_FIELDS);
      // The claim is in the log first, then in the lock table (the executor queues it): wait for both.
      return e.state === 'RESTARTED' && e.lockClaims[0]?.state === 'WAITING' && e.lockHolders[0]?.waiters.length > 0 ? e : undefined;
    }, 60_000);
    expect(waiting.lockHolders).toEqual([{ name: 'warehouse', holder: { executionId: occupant, taskRunId: null }, waiters: [{ executionId: failed }] }]);
    await c.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: occupant });
    expect((await untilTerminal(c, occupant, 60_000)).state).toBe('KILLED');
    const done = await eventually('the restarted run succeeds', async () => {
      const e = await read(c, failed, 'state endDate stateHistory { state date } taskRuns { taskId state attempts { number state } }');
      return e.state === 'SUCCESS' ? e : undefined;
    }, 60_000);
    expect(done.taskRuns.find((t: { taskId: string }) => t.taskId === 'check').attempts).toEqual([{ number: 1, state: 'FAILED' }, { number: 2, state: 'SUCCESS' }]);
    // It ran again only after the occupant ended: the lock was never held twice.
    const occupantEnd = (await read(c, occupant, 'endDate')).endDate;
    const rerun = done.stateHistory.filter((h: { state: string }) => h.state === 'RUNNING').at(-1).date;
    expect(Date.parse(rerun)).toBeGreaterThanOrEqual(Date.parse(occupantEnd));
    const events = (await c.data(`query($id:ID!){ executionHistory(id:$id){ type } }`, { id: failed })).executionHistory.map((e: { type: string }) => e.type);
    expect(events.filter((t: string) => t === 'LocksRequested')).toHaveLength(2);
    expect(events.filter((t: string) => t === 'LocksAcquired')).toHaveLength(2);
  });

  it('a priority change moves a waiting execution ahead in the lock queue; it gets the lock first', async () => {
    const c = client();
    await deploy(c, `id: queued-export
namespace: ${LOCKS_NS}
inputs:
  - { id: wait, type: STRING, defaults: PT1S }
locks: [export-queue]
tasks:
  - { id: work, type: io.kestra.plugin.core.flow.Sleep, duration: "{{ inputs.wait }}" }
`);
    const holder = await start(c, 'queued-export', '', { wait: 'PT60S' });
    await eventually('the first holds the lock', async () => (await read(c, holder, LOCK_FIELDS)).lockClaims.some((l: { state: string }) => l.state === 'HELD'), 60_000);
    const earlier = await start(c, 'queued-export', ', priority: 1');
    await eventually('the earlier one is queued', async () => (await read(c, earlier, LOCK_FIELDS)).lockHolders[0]?.waiters.length === 1, 60_000);
    const later = await start(c, 'queued-export', ', priority: 1');
    const waiters = async () => (await c.data(`query { namedLocks(name:"export-queue"){ waiters { executionId priority } } }`)).namedLocks[0]?.waiters ?? [];
    await eventually('both are queued, in the order they asked', async () => {
      const w = await waiters();
      return w.length === 2 && w[0].executionId === earlier ? w : undefined;
    }, 60_000);
    await c.data(`mutation($id:ID!){ updateExecution(id:$id, priority: 5){ id } }`, { id: later });
    const reordered = await eventually('the later one moved first', async () => {
      const w = await waiters();
      return w[0]?.executionId === later ? w : undefined;
    }, 60_000);
    expect(reordered).toEqual([{ executionId: later, priority: 5 }, { executionId: earlier, priority: 1 }]);
    await c.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: holder });
    const [first, second] = await Promise.all([later, earlier].map((id) => untilTerminal(c, id, 60_000)));
    expect([first.state, second.state]).toEqual(['SUCCESS', 'SUCCESS']);
    const runningAt = async (id: string) => Date.parse((await read(c, id, 'stateHistory { state date }')).stateHistory.find((h: { state: string }) => h.state === 'RUNNING').date);
    const laterEnd = Date.parse((await read(c, later, 'endDate')).endDate);
    expect(await runningAt(earlier)).toBeGreaterThanOrEqual(laterEnd);
    expect(await runningAt(later)).toBeLessThan(await runningAt(earlier));
  });

  it('bad lock names are refused naming the field: at deploy, and at start when an expression renders one', async () => {
    const c = client();
    const bad = await c.graphql(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `id: badlock\nnamespace: ${LOCKS_NS}\nlocks: ["two words"]\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: x }\n` });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/locks\[0\].*"two words" is not a lock name/s);
    await deploy(c, `id: rendered\nnamespace: ${LOCKS_NS}\ninputs:\n  - { id: name, type: STRING }\nlocks: ["{{ inputs.name }}"]\ntasks:\n  - { id: a, type: io.kestra.plugin.core.log.Log, message: x }\n`);
    const refused = await c.graphql(`mutation { createExecution(namespace:"${LOCKS_NS}", flowId:"rendered", inputs: { name: "a b" }){ id } }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/^locks\[0\] rendered "a b" is not a lock name/);
    expect(await count(c, 'rendered')).toBe(0);
  });

  it('breakpoints: pauses before the task with its rendered properties; step, skip, continue; survives a restart', async () => {
    await deploy(client(), `id: debugged
namespace: ${LOCKS_NS}
inputs:
  - { id: who, type: STRING, defaults: world }
tasks:
  - { id: first, type: io.kestra.plugin.core.output.OutputValues, values: { greeting: "hello {{ inputs.who }}" } }
  - { id: second, type: io.kestra.plugin.core.log.Log, message: "{{ outputs.first.values.greeting }}!" }
  - { id: third, type: io.kestra.plugin.core.log.Log, message: third }
  - { id: fourth, type: io.kestra.plugin.core.log.Log, message: fourth }
`);
    const id = await start(client(), 'debugged', ', breakpoints: ["second"]');
    const paused = await eventually('paused before second', async () => {
      const e = await read(client(), id, BREAK_FIELDS);
      return e.state === 'PAUSED' && e.taskRuns.some((t: { breakpoint: unknown }) => t.breakpoint) ? e : undefined;
    }, 60_000);
    expect(paused.breakpoints).toEqual(['second']);
    expect(paused.taskRuns.find((t: { taskId: string }) => t.taskId === 'second')).toMatchObject({ state: 'CREATED', breakpoint: { properties: { message: 'hello world!' }, error: null } });

    // Every service restarts while it is paused: the pause is in the log, nothing is lost.
    await restart();
    const c = client();
    expect((await read(c, id, BREAK_FIELDS)).state).toBe('PAUSED');
    await c.data(`mutation($id:ID!){ resolveBreakpoint(id:$id, action: STEP){ id } }`, { id });
    const stepped = await eventually('paused before third (step mode)', async () => {
      const e = await read(c, id, BREAK_FIELDS);
      return e.state === 'PAUSED' && e.taskRuns.some((t: { taskId: string; breakpoint: unknown }) => t.taskId === 'third' && t.breakpoint) ? e : undefined;
    }, 60_000);
    expect(stepped.stepMode).toBe(true);
    const skipped = await c.rest('POST', `/api/v1/executions/${id}/breakpoint/skip`);
    expect(skipped.status, await skipped.clone().text()).toBe(200);
    await eventually('paused before fourth', async () => {
      const e = await read(c, id, BREAK_FIELDS);
      return e.state === 'PAUSED' && e.taskRuns.some((t: { taskId: string; breakpoint: unknown }) => t.taskId === 'fourth' && t.breakpoint) ? e : undefined;
    }, 60_000);
    await c.data(`mutation($id:ID!){ resolveBreakpoint(id:$id, action: CONTINUE){ id } }`, { id });
    const done = await untilTerminal(c, id, 60_000);
    expect(done.state).toBe('SUCCESS');
    const runs = (await read(c, id, 'taskRuns { taskId state }')).taskRuns;
    expect(runs).toEqual([
      { taskId: 'first', state: 'SUCCESS' }, { taskId: 'second', state: 'SUCCESS' }, { taskId: 'third', state: 'SKIPPED' }, { taskId: 'fourth', state: 'SUCCESS' },
    ]);
    const events = (await c.data(`query($id:ID!){ executionHistory(id:$id){ type } }`, { id })).executionHistory.map((e: { type: string }) => e.type);
    expect(events.filter((t: string) => t === 'TaskRunBreakpointReached')).toHaveLength(3);
    // Not paused any more: a late answer is a conflict.
    expect((await c.rest('POST', `/api/v1/executions/${id}/breakpoint/continue`)).status).toBe(409);
  }, 240_000);

  it('step mode over REST, and abort (kill) at a breakpoint', async () => {
    const c = client();
    const started: any = await (await c.rest('POST', `/api/v1/executions/${LOCKS_NS}/debugged?stepMode=true`, {})).json();
    expect(started.stepMode).toBe(true);
    await eventually('paused before first', async () => (await read(c, started.id, BREAK_FIELDS)).state === 'PAUSED', 60_000);
    await c.data(`mutation($id:ID!){ killExecution(id:$id){ id } }`, { id: started.id });
    const killed = await untilTerminal(c, started.id, 60_000);
    expect(killed.state).toBe('KILLED');
  });

  it('a breakpoint on a task that does not exist is refused naming it, and nothing is created', async () => {
    const c = client();
    const refused = await c.graphql(`mutation { createExecution(namespace:"${LOCKS_NS}", flowId:"debugged", breakpoints: ["second", "nope"]){ id } }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/^breakpoints\[1\] names no task of flow locks\.e2e\.debugged: "nope"/);
    const before = await count(c, 'debugged');
    const rest = await c.rest('POST', `/api/v1/executions/${LOCKS_NS}/debugged?breakpoints=nope`, {});
    expect(rest.status).toBe(400);
    expect(await count(c, 'debugged')).toBe(before);
  });
}
