import { expect, it } from 'vitest';
import { eventually, untilTerminal, type GatewayClient } from '@chronicle/testing';

/**
 * The execution engine end to end (issue 3), the same in every mode: kill during a running
 * Parallel, pause and resume, a failing Subflow child with transmitFailed, a retry that
 * succeeds on the third attempt, a ForEach of 100 values with concurrencyLimit 5, and a QUEUE
 * flow concurrency limit. Assertions read the public API: executions, task runs with their
 * attempts, and the event history.
 */
export const NS = 'engine.e2e';

const TASK_RUN_FIELDS = 'id taskId state value parentTaskRunId error outputs metrics startDate endDate attempts { number state error startDate endDate metrics }';
const EXECUTION = `id state error parentId startDate endDate stateHistory { state date } taskRuns { ${TASK_RUN_FIELDS} }`;

export interface TaskRunView {
  id: string;
  taskId: string;
  state: string;
  value?: string;
  error?: string;
  outputs?: any;
  metrics: Array<{ name: string; type: string; value: number; attempt: number }>;
  attempts: Array<{ number: number; state: string; error?: string; startDate?: string; endDate?: string }>;
}
export interface ExecutionView {
  id: string;
  state: string;
  error?: string;
  parentId?: string;
  endDate?: string;
  stateHistory: Array<{ state: string; date: string }>;
  taskRuns: TaskRunView[];
}
export interface HistoryEvent {
  type: string;
  data: any;
}

export const deploy = async (c: GatewayClient, source: string): Promise<void> => {
  await c.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: source });
};
export const start = async (c: GatewayClient, flowId: string, inputs: Record<string, unknown> = {}): Promise<string> =>
  (await c.data(`mutation($f:String!,$i:JSON){ createExecution(namespace:"${NS}", flowId:$f, inputs:$i){ id } }`, { f: flowId, i: inputs })).createExecution.id;
export const view = async (c: GatewayClient, id: string): Promise<ExecutionView> =>
  (await c.data(`query($id:ID!){ execution(id:$id){ ${EXECUTION} } }`, { id })).execution;
export const history = async (c: GatewayClient, id: string): Promise<HistoryEvent[]> =>
  (await c.data(`query($id:ID!){ executionHistory(id:$id){ type data } }`, { id })).executionHistory;
export const ended = async (c: GatewayClient, id: string, timeoutMs = 30_000): Promise<ExecutionView> => {
  await untilTerminal(c, id, timeoutMs);
  return view(c, id);
};
/** Waits until the execution (read model) satisfies `ready`. */
export const until = (c: GatewayClient, id: string, what: string, ready: (e: ExecutionView) => boolean, timeoutMs = 30_000): Promise<ExecutionView> =>
  eventually(what, async () => {
    const e = await view(c, id);
    return e && ready(e) ? e : undefined;
  }, timeoutMs);
const runsOf = (e: ExecutionView, taskId: string) => e.taskRuns.filter((t) => t.taskId === taskId);
const states = (e: ExecutionView) => e.stateHistory.map((h) => h.state);
const control = (c: GatewayClient, mutation: string, id: string) => c.data(`mutation($id:ID!){ ${mutation}(id:$id){ id } }`, { id });

const spin = (id: string) => `      - { id: ${id}, type: Script, script: "while (true) {}", timeout: PT2M }`;

export function engineScenario(client: () => GatewayClient): void {
  it('kill during a running Parallel: KILLING, the workers stop their attempts, then KILLED (before the kill bound)', async () => {
    const c = client();
    await deploy(c, `id: kill-parallel\nnamespace: ${NS}\ntasks:\n  - id: fan\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n${[spin('spin1'), spin('spin2'), spin('spin3')].join('\n')}\n  - { id: after, type: Log, message: never }\n`);
    const id = await start(c, 'kill-parallel');
    await until(c, id, 'three spinning attempts', (e) => ['spin1', 'spin2', 'spin3'].every((t) => runsOf(e, t)[0]?.attempts[0]?.state === 'RUNNING'));

    await control(c, 'killExecution', id);

    const done = await ended(c, id, 25_000);
    expect(done.state).toBe('KILLED');
    expect(states(done)).toEqual(['CREATED', 'RUNNING', 'KILLING', 'KILLED']);
    for (const t of ['spin1', 'spin2', 'spin3']) {
      const [run] = runsOf(done, t);
      expect(run).toMatchObject({ state: 'KILLED', attempts: [{ number: 1, state: 'KILLED' }] });
      expect(run!.attempts[0]!.error).toMatch(/killed/);
    }
    expect(runsOf(done, 'fan')[0]!.state).toBe('KILLED');
    expect(runsOf(done, 'after')).toEqual([]);
    const events = await history(c, id);
    expect(events.filter((e) => e.type === 'TaskRunKillRequested')).toHaveLength(3);
    // The workers aborted the attempts: the kill did not need its bound (the kill timer never fired).
    const killTimer = events.find((e) => e.type === 'TimerScheduled' && e.data.purpose === 'kill')!.data.timerId;
    expect(events.filter((e) => e.type === 'TimerFired' && e.data.timerId === killTimer)).toEqual([]);
  });

  it('pause and resume: no task run starts while PAUSED, the execution goes on after the resume', async () => {
    const c = client();
    await deploy(c, `id: pause-resume\nnamespace: ${NS}\ntasks:\n  - { id: first, type: Log, message: one }\n  - { id: nap, type: Sleep, duration: PT2S }\n  - { id: second, type: Log, message: two }\n  - { id: third, type: Log, message: three }\n`);
    const id = await start(c, 'pause-resume');
    await until(c, id, 'the Sleep to run', (e) => runsOf(e, 'nap')[0]?.state === 'RUNNING');
    await control(c, 'pauseExecution', id);
    await until(c, id, 'PAUSED', (e) => e.state === 'PAUSED');
    // The Sleep ends while the execution is paused; what follows it must not start.
    const paused = await until(c, id, 'the Sleep to end', (e) => runsOf(e, 'nap')[0]?.state === 'SUCCESS', 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect((await view(c, id)).taskRuns.map((t) => t.taskId)).toEqual(paused.taskRuns.map((t) => t.taskId));
    expect(runsOf(paused, 'second')).toEqual([]);

    await c.data(`mutation($id:ID!){ resumeExecution(id:$id){ id } }`, { id });

    const done = await ended(c, id);
    expect(done.state).toBe('SUCCESS');
    expect(states(done)).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
    const events = await history(c, id);
    const pausedAt = events.findIndex((e) => e.type === 'ExecutionStateChanged' && e.data.state === 'PAUSED');
    const resumedAt = events.findIndex((e) => e.type === 'ExecutionStateChanged' && e.data.state === 'RUNNING');
    expect(pausedAt).toBeGreaterThan(0);
    expect(events.slice(pausedAt, resumedAt).filter((e) => e.type === 'TaskRunCreated')).toEqual([]);
    expect(events.slice(resumedAt).filter((e) => e.type === 'TaskRunCreated').map((e) => e.data.taskId)).toEqual(['second', 'third']);
  });

  it('a Subflow whose child fails with transmitFailed: the parent FAILED, the child\'s parentId is the parent', async () => {
    const c = client();
    await deploy(c, `id: failing-child\nnamespace: ${NS}\ntasks:\n  - { id: boom, type: io.kestra.plugin.core.execution.Fail, errorMessage: child broke }\n`);
    await deploy(c, `id: subflow-parent\nnamespace: ${NS}\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: ${NS}\n    flowId: failing-child\n    wait: true\n    transmitFailed: true\n  - { id: never, type: Log, message: no }\n`);
    const id = await start(c, 'subflow-parent');

    const parent = await ended(c, id);
    expect(parent.state).toBe('FAILED');
    const [call] = runsOf(parent, 'call');
    expect(call).toMatchObject({ state: 'FAILED', outputs: { state: 'FAILED' } });
    expect(call!.error).toMatch(/child broke/);
    expect(runsOf(parent, 'never')).toEqual([]);
    // Lists read the read model, which may lag the log (reads by id do not): wait for the child's end there.
    const children = await eventually('the failed child in the list', async () => {
      const { executions } = await c.data(`query($p:ID){ executions(parentId:$p){ edges { node { id state parentId } } } }`, { p: id });
      const nodes = executions.edges.map((e: any) => e.node);
      return nodes.length > 0 && nodes.every((n: any) => n.state === 'FAILED') && nodes;
    });
    expect(children).toEqual([{ id: call!.outputs.executionId, state: 'FAILED', parentId: id }]);
  });

  it('a retry that succeeds on the third attempt: attempts 1..3 recorded with their states; a Script sees earlier outputs', async () => {
    const c = client();
    await deploy(c, `id: retry-third
namespace: ${NS}
inputs:
  - { id: n, type: INT, defaults: 2 }
tasks:
  - { id: produce, type: io.kestra.plugin.core.debug.Return, format: "p" }
  - id: flaky
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ taskrun.attemptsCount < 2 }}"
    errorMessage: "attempt {{ taskrun.attemptsCount + 1 }} fails"
    retry: { type: constant, interval: PT0.2S, maxAttempt: 5 }
  - id: script
    type: Script
    script: |
      counter("rows", 3);
      ({ seen: outputs.produce.value + inputs.n })
`);
    const done = await ended(c, await start(c, 'retry-third'));

    expect(done.state).toBe('SUCCESS');
    const [flaky] = runsOf(done, 'flaky');
    expect(flaky!.state).toBe('SUCCESS');
    expect(flaky!.attempts.map((a) => ({ number: a.number, state: a.state, error: a.error ?? null }))).toEqual([
      { number: 1, state: 'FAILED', error: 'attempt 1 fails' },
      { number: 2, state: 'FAILED', error: 'attempt 2 fails' },
      { number: 3, state: 'SUCCESS', error: null },
    ]);
    for (const a of flaky!.attempts) expect(Date.parse(a.endDate!)).toBeGreaterThanOrEqual(Date.parse(a.startDate!));
    const [script] = runsOf(done, 'script');
    expect(script!.outputs).toEqual({ seen: 'p2' });
    expect(script!.metrics).toEqual([{ name: 'rows', type: 'counter', value: 3, attempt: 1 }]);
  });

  it('a ForEach over 100 values with concurrencyLimit 5 never has more than 5 iterations running', async () => {
    const c = client();
    const values = Array.from({ length: 100 }, (_, i) => `v${i + 1}`);
    await deploy(c, `id: foreach-100\nnamespace: ${NS}\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: ${JSON.stringify(values)}\n    concurrencyLimit: 5\n    tasks:\n      - { id: item, type: Log, message: "item {{ taskrun.value }}" }\n`);
    const id = await start(c, 'foreach-100');
    const done = await ended(c, id, 60_000);

    expect(done.state).toBe('SUCCESS');
    const items = runsOf(done, 'item');
    expect(items.map((t) => t.value).sort()).toEqual([...values].sort());
    expect(items.every((t) => t.state === 'SUCCESS')).toBe(true);
    // From the event log, in order: an iteration runs from its creation to its end.
    const itemRuns = new Set(items.map((t) => t.id));
    const open = new Set<string>();
    let most = 0;
    for (const e of await history(c, id)) {
      const runId = e.data?.taskRunId as string | undefined;
      if (runId === undefined || !itemRuns.has(runId)) continue;
      if (e.type === 'TaskRunCreated') open.add(runId);
      if (e.type === 'TaskRunSucceeded' || (e.type === 'TaskRunFailed' && e.data.taskRunState !== 'RETRYING') || (e.type === 'TaskRunStateChanged' && ['SUCCESS', 'FAILED', 'KILLED', 'WARNING'].includes(e.data.state))) {
        open.delete(runId);
      }
      most = Math.max(most, open.size);
    }
    expect(most).toBe(5);
  });

  it('a QUEUE concurrency limit: the second execution stays QUEUED until the first ends, then runs; another key is not held', async () => {
    const c = client();
    await deploy(c, `id: queued\nnamespace: ${NS}\ninputs:\n  - { id: customer, type: STRING }\nconcurrency: { limit: 1, behavior: QUEUE, key: "{{ inputs.customer }}" }\ntasks:\n  - { id: hold, type: Sleep, duration: PT2S }\n`);
    const first = await start(c, 'queued', { customer: 'acme' });
    await until(c, first, 'the first to run', (e) => e.state === 'RUNNING');
    const second = await start(c, 'queued', { customer: 'acme' });
    const otherKey = await start(c, 'queued', { customer: 'globex' });
    await until(c, second, 'the second to be queued', (e) => e.state === 'QUEUED');
    const other = await until(c, otherKey, 'another key to run', (e) => e.state === 'RUNNING' || e.state === 'SUCCESS');
    expect((await view(c, first)).state).toBe('RUNNING');

    const a = await ended(c, first);
    const b = await ended(c, second);
    expect([a.state, b.state, (await ended(c, other.id)).state]).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(states(b)).toEqual(['CREATED', 'QUEUED', 'RUNNING', 'SUCCESS']);
    const secondStarted = b.stateHistory.find((h) => h.state === 'RUNNING')!.date;
    expect(Date.parse(secondStarted)).toBeGreaterThanOrEqual(Date.parse(a.endDate!));
  });

  it('reports a RUNNING execution that made no progress as stalled, and no longer once it moves on', async () => {
    const c = client();
    await deploy(c, `id: quiet\nnamespace: ${NS}\ntasks:\n  - { id: nap, type: Sleep, duration: PT3S }\n  - { id: after, type: Log, message: awake }\n`);
    const id = await start(c, 'quiet');
    await until(c, id, 'the Sleep to start', (e) => runsOf(e, 'nap')[0]?.state === 'RUNNING');
    await new Promise((r) => setTimeout(r, 1200));
    const stalled = async (minutes: number) => ((await c.data(`query($m:Int){ stalledExecutions(minutes:$m){ id state } }`, { m: minutes })).stalledExecutions as Array<{ id: string }>).map((x) => x.id);
    expect(await stalled(0)).toContain(id);
    expect(await stalled(60)).not.toContain(id);
    await ended(c, id);
    // A read by id may answer from the log (read-your-writes); the stalled list is the read model's and may lag a moment.
    await eventually('the stalled list to drop the ended execution', async () => !(await stalled(0)).includes(id));
  });
}

/** A Sleep that outlives a restart: the execution reaches its Sleep, `restart` runs, the timer still fires. */
export async function sleepAcrossRestart(c: () => GatewayClient, restart: () => Promise<void>): Promise<void> {
  await deploy(c(), `id: sleep-restart\nnamespace: ${NS}\ntasks:\n  - { id: before, type: Log, message: before }\n  - { id: nap, type: Sleep, duration: PT5S }\n  - { id: after, type: Log, message: after }\n`);
  const id = await start(c(), 'sleep-restart');
  await until(c(), id, 'the Sleep to start', (e) => runsOf(e, 'nap')[0]?.state === 'RUNNING');

  await restart();

  const done = await ended(c(), id, 60_000);
  expect(done.state).toBe('SUCCESS');
  expect(done.taskRuns.map((t) => `${t.taskId}:${t.state}`)).toEqual(['before:SUCCESS', 'nap:SUCCESS', 'after:SUCCESS']);
  const events = await history(c(), id);
  const scheduled = events.find((e) => e.type === 'TimerScheduled' && e.data.purpose === 'sleep')!;
  const fired = events.find((e) => e.type === 'TimerFired' && e.data.timerId === scheduled.data.timerId)!;
  // Fired once, and not before it was due.
  expect(events.filter((e) => e.type === 'TimerFired' && e.data.timerId === scheduled.data.timerId)).toHaveLength(1);
  expect(Date.parse(fired.data.at)).toBeGreaterThanOrEqual(Date.parse(scheduled.data.fireAt));
}
