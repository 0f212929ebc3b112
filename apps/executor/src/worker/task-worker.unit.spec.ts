import type { ExecutionCommand, TaskJob } from '@chronicle/domain';
import { DLQ_HEADERS, dlqTopic, InProcessMessageBus, topicNames } from '@chronicle/messaging';
import { createLogger } from '@chronicle/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TaskWorker, type LogMessage } from './task-worker.js';
import { contractsByTopic } from '@chronicle/contracts';

const NOW = '2025-01-01T00:00:00.000Z';
const topics = topicNames('worker-test');
const logger = createLogger('test', 'silent');

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

const job = (taskRunId: string, type: string, properties: TaskJob['properties']): TaskJob => ({
  executionId: taskRunId.split('.')[0]!, taskRunId, taskId: `task-${taskRunId}`, attempt: 1, type, properties,
});

/** A bus with one partition per topic, so that jobs published together reach the worker as one batch. */
async function setup() {
  const bus = new InProcessMessageBus({ partitions: 1 });
  await bus.ensureTopics(Object.values(topics));
  cleanup.push(() => bus.close());
  // Read as the consumers do: through the topic's contract.
  const read = <T>(topic: string) => bus.retained(topic).map((r) => contractsByTopic(topics).get(topic)!.parse(JSON.parse(r.value!)) as T);
  const run = async (jobs: readonly unknown[], expectedCommands: number) => {
    await bus.publish(topics.tasks, jobs.map((value, i) => ({ key: (value as { executionId?: string })?.executionId ?? `k${i}`, value })));
    const worker = new TaskWorker(bus, topics, { now: () => NOW }, logger, 'worker-1', 4);
    await worker.start();
    cleanup.push(() => worker.stop());
    await vi.waitFor(() => expect(read(topics.commands)).toHaveLength(expectedCommands));
    // Stopping waits for the batch in flight: anything sent twice would show up by now.
    await worker.stop();
    expect(read(topics.commands)).toHaveLength(expectedCommands);
    return { commands: read<ExecutionCommand>(topics.commands), logs: read<LogMessage>(topics.logs) };
  };
  return { bus, run, read };
}

describe('TaskWorker', () => {
  it('runs a Log job: StartTaskRun then CompleteTaskRun on the commands topic, the line on the logs topic', async () => {
    const { run, bus } = await setup();
    const log = job('e1.1', 'Log', { message: 'Hello Chronicle' });

    const { commands, logs } = await run([log], 2);

    expect(commands).toEqual([
      { type: 'StartTaskRun', executionId: 'e1', taskRunId: 'e1.1', attempt: 1, workerId: 'worker-1', now: NOW },
      { type: 'CompleteTaskRun', executionId: 'e1', taskRunId: 'e1.1', attempt: 1, outputs: {}, now: NOW },
    ]);
    expect(bus.retained(topics.commands).map((r) => r.key)).toEqual(['e1', 'e1']);
    expect(logs).toEqual([{ executionId: 'e1', taskRunId: 'e1.1', taskId: 'task-e1.1', level: 'INFO', message: 'Hello Chronicle', timestamp: NOW }]);
    expect(bus.retained(topics.logs).map((r) => r.key)).toEqual(['e1']);
  });

  it('logs every line of a list at the level asked for', async () => {
    const { run } = await setup();

    const { logs } = await run([job('e1.1', 'Log', { message: ['one', { two: 2 }], level: 'warn' })], 2);

    expect(logs.map((l) => [l.level, l.message])).toEqual([['WARN', 'one'], ['WARN', '{"two":2}']]);
  });

  it('runs an OutputValues job: its outputs are { values }', async () => {
    const { run } = await setup();

    const { commands, logs } = await run([job('e1.0', 'OutputValues', { values: { message: 'Hello', n: 2 } })], 2);

    expect(commands[1]).toEqual({ type: 'CompleteTaskRun', executionId: 'e1', taskRunId: 'e1.0', attempt: 1, outputs: { values: { message: 'Hello', n: 2 } }, now: NOW });
    expect(logs).toEqual([]);
  });

  it('fails the task run of an unknown task type with the reason, and logs nothing itself (the ERROR line comes from the TaskRunFailed event)', async () => {
    const { run } = await setup();

    const { commands, logs } = await run([job('e1.0', 'Shell', { script: 'rm -rf /' })], 2);

    expect(commands[0]).toMatchObject({ type: 'StartTaskRun', taskRunId: 'e1.0' });
    expect(commands[1]).toEqual({
      type: 'FailTaskRun', executionId: 'e1', taskRunId: 'e1.0', attempt: 1, error: 'no worker implementation for task type Shell', now: NOW,
    });
    expect(logs).toEqual([]);
  });

  it('fails the task run when the task itself fails, with the task\'s reason', async () => {
    const { run } = await setup();

    const { commands } = await run([job('e1.0', 'OutputValues', { values: ['not', 'a', 'map'] }), job('e2.0', 'Log', { message: 'x', level: 'LOUD' })], 4);

    const failures = commands.filter((c) => c.type === 'FailTaskRun');
    expect(failures).toEqual([
      expect.objectContaining({ executionId: 'e1', taskRunId: 'e1.0', error: 'values must be a map of names to values' }),
      expect.objectContaining({ executionId: 'e2', taskRunId: 'e2.0', error: expect.stringMatching(/^level must be one of TRACE, DEBUG, INFO, WARN, ERROR/) }),
    ]);
  });

  it('dead-letters only a malformed job of a batch: the other jobs of the batch run, each once', async () => {
    const { run, bus } = await setup();
    const good = [job('e1.0', 'OutputValues', { values: { a: 1 } }), job('e3.0', 'Log', { message: 'after' })];
    const malformed = { executionId: 'e2', type: 'Log' };

    const { commands } = await run([good[0], malformed, good[1]], 4);

    const dead = bus.retained(dlqTopic(topics.tasks));
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]!.value!)).toEqual(malformed);
    expect(dead[0]!.headers[DLQ_HEADERS.reason]).toMatch(/tasks Log: taskRunId: .*attempt: /);
    expect(commands.map((c) => `${c.type} ${(c as { taskRunId: string }).taskRunId}`).sort()).toEqual([
      'CompleteTaskRun e1.0', 'CompleteTaskRun e3.0', 'StartTaskRun e1.0', 'StartTaskRun e3.0',
    ]);
    // Per job, the start is reported before the result.
    for (const { taskRunId } of good) {
      expect(commands.filter((c) => (c as { taskRunId: string }).taskRunId === taskRunId).map((c) => c.type)).toEqual(['StartTaskRun', 'CompleteTaskRun']);
    }
  });

  it('dead-letters a job that is not even an object', async () => {
    const { run, bus } = await setup();

    await run(['just text', job('e1.0', 'Log', { message: 'fine' })], 2);

    expect(bus.retained(dlqTopic(topics.tasks)).map((r) => JSON.parse(r.value!))).toEqual(['just text']);
  });
});
