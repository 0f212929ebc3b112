import type { KillTaskRunMessage } from '@chronicle/contracts';
import type { ExecutionCommand, TaskJob } from '@chronicle/domain';
import { InProcessMessageBus, topicNames } from '@chronicle/messaging';
import { createLogger, systemClock } from '@chronicle/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskWorker, type TaskWorkerOptions } from './task-worker.js';

const topics = topicNames('worker-control-test');
const logger = createLogger('test', 'silent');
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

const job = (taskRunId: string, type: string, properties: TaskJob['properties'], extra: Partial<TaskJob> = {}): TaskJob => ({
  executionId: taskRunId.split('.')[0]!, taskRunId, taskId: `task-${taskRunId}`, attempt: 1, type, properties, ...extra,
});

async function startWorker(options: TaskWorkerOptions = {}, concurrency = 4) {
  const bus = new InProcessMessageBus({ partitions: 4 });
  await bus.ensureTopics(Object.values(topics));
  const worker = new TaskWorker(bus, topics, systemClock, logger, 'worker-1', concurrency, options);
  await worker.start();
  cleanup.push(async () => {
    await worker.stop();
    await bus.close();
  });
  const commands = () => bus.retained(topics.commands).map((r) => JSON.parse(r.value!) as ExecutionCommand & Record<string, unknown>);
  const resultOf = (taskRunId: string) => commands().find((c) => (c.type === 'CompleteTaskRun' || c.type === 'FailTaskRun') && c.taskRunId === taskRunId);
  const submit = (...jobs: TaskJob[]) => bus.publish(topics.tasks, jobs.map((j) => ({ key: j.executionId, value: j })));
  const kill = (message: KillTaskRunMessage) => bus.publish(topics.control, [{ key: message.executionId, value: message }]);
  return { bus, worker, commands, resultOf, submit, kill };
}

describe('TaskWorker: control, limits and leases', () => {
  it('aborts a running attempt on a kill request from the control topic and reports it killed', async () => {
    const w = await startWorker();
    await w.submit(job('e1.0', 'Script', { script: 'while (true) {}', timeout: 'PT60S' }));
    await vi.waitFor(() => expect(w.worker.runningAttempts()).toEqual(['e1.0#1']));

    await w.kill({ type: 'KillTaskRun', executionId: 'e1', taskRunId: 'e1.0', attempt: 1, reason: 'operator asked' });

    await vi.waitFor(() => expect(w.resultOf('e1.0')).toMatchObject({ type: 'FailTaskRun', attempt: 1, killed: true, error: 'task run killed: operator asked' }), { timeout: 10_000 });
    expect(w.worker.runningAttempts()).toEqual([]);
  });

  it('does not run a job whose kill arrived before it started', async () => {
    const w = await startWorker();
    await w.kill({ type: 'KillTaskRun', executionId: 'e2', taskRunId: 'e2.0', attempt: 1 });
    await w.submit(job('e2.0', 'Log', { message: 'never logged' }));
    await vi.waitFor(() => expect(w.resultOf('e2.0')).toMatchObject({ type: 'FailTaskRun', killed: true }));
  });

  it('keeps serving other jobs while a script loops until its time limit, and reports that limit', async () => {
    const w = await startWorker();
    await w.submit(job('e1.0', 'Script', { script: 'while (true) {}', timeout: 'PT3S' }), job('e2.0', 'Log', { message: 'meanwhile' }));

    await vi.waitFor(() => expect(w.resultOf('e2.0')).toMatchObject({ type: 'CompleteTaskRun' }));
    expect(w.resultOf('e1.0')).toBeUndefined();
    await vi.waitFor(() => expect(w.resultOf('e1.0')).toMatchObject({ type: 'FailTaskRun', error: expect.stringMatching(/^script exceeded its time limit of 3000 ms /) }), { timeout: 10_000 });
    expect(w.resultOf('e1.0')).not.toHaveProperty('killed');

    await w.submit(job('e3.0', 'Script', { script: 'const a = []; while (true) a.push({ i: a.length });', memoryLimitMb: 8 }));
    await vi.waitFor(() => expect(w.resultOf('e3.0')).toMatchObject({ type: 'FailTaskRun', error: expect.stringMatching(/^script exceeded its memory limit of 8 MiB /) }), { timeout: 20_000 });
    await w.submit(job('e4.0', 'Return', { format: 'still alive' }));
    await vi.waitFor(() => expect(w.resultOf('e4.0')).toMatchObject({ type: 'CompleteTaskRun', outputs: { value: 'still alive' } }));
  });

  it('fails a task run whose outputs are over the size limit, naming the limit', async () => {
    const w = await startWorker({ maxOutputBytes: 1000 });
    await w.submit(job('e1.0', 'OutputValues', { values: { big: 'x'.repeat(2000) } }), job('e2.0', 'OutputValues', { values: { small: 'ok' } }));
    await vi.waitFor(() => expect(w.resultOf('e2.0')).toMatchObject({ type: 'CompleteTaskRun' }));
    await vi.waitFor(() => expect(w.resultOf('e1.0')).toMatchObject({ type: 'FailTaskRun', error: expect.stringMatching(/^outputs are 2\d{3} bytes of JSON, over the limit of 1000 bytes/) }));
  });

  it('sends task metrics with the result, and a script sees the job context', async () => {
    const w = await startWorker();
    await w.submit(job('e1.0', 'Script', { script: 'counter("rows", inputs.n); return { doubled: outputs.prev.value * 2 }' }, { context: { inputs: { n: 4 }, outputs: { prev: { value: 21 } } } } as Partial<TaskJob>));
    await vi.waitFor(() => expect(w.resultOf('e1.0')).toMatchObject({ type: 'CompleteTaskRun', outputs: { doubled: 42 }, metrics: [{ name: 'rows', type: 'counter', value: 4 }] }), { timeout: 10_000 });
  });

  it('renews the lease of a long attempt with ReportTaskRunAlive while it runs, and stops after', async () => {
    const w = await startWorker({ leaseRenewalMs: 100 });
    await w.submit(job('e1.0', 'Script', { script: 'const end = Date.now() + 500; while (Date.now() < end) {} ; 1', timeout: 'PT10S' }));
    await vi.waitFor(() => expect(w.resultOf('e1.0')).toMatchObject({ type: 'CompleteTaskRun' }), { timeout: 10_000 });
    const alive = w.commands().filter((c) => c.type === 'ReportTaskRunAlive');
    expect(alive.length).toBeGreaterThan(0);
    expect(alive[0]).toMatchObject({ executionId: 'e1', taskRunId: 'e1.0', attempt: 1, workerId: 'worker-1' });
    const count = alive.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(w.commands().filter((c) => c.type === 'ReportTaskRunAlive')).toHaveLength(count);
  });

  it('renews the lease of a job waiting for a free lane too (it was reported started with its batch)', async () => {
    const w = await startWorker({ leaseRenewalMs: 100 }, 1);
    await w.submit(
      job('e1.0', 'Script', { script: 'const end = Date.now() + 600; while (Date.now() < end) {} ; 1', timeout: 'PT10S' }),
      job('e1.1', 'Log', { message: 'waits for the only lane' }),
    );
    await vi.waitFor(() => expect(w.resultOf('e1.1')).toMatchObject({ type: 'CompleteTaskRun' }), { timeout: 10_000 });
    const renewedWhileWaiting = w.commands().filter((c) => c.type === 'ReportTaskRunAlive' && c.taskRunId === 'e1.1');
    expect(renewedWhileWaiting.length).toBeGreaterThan(0);
  });
});
