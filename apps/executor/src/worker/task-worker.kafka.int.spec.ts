import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionCommand, TaskJob } from '@chronicle/domain';
import { KafkaMessageBus, topicNames } from '@chronicle/messaging';
import { createLogger, systemClock } from '@chronicle/runtime';
import { testKafkaBrokers, uniqueTopicPrefix } from '@chronicle/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TaskWorker, type LogMessage } from './task-worker.js';

// A long task that costs no CPU: an http Request whose response the test holds open until it says so.
let server: Server;
let base: string;
const held: ServerResponse[] = [];
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('started ');
    held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of held) res.end('done');
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const job = (executionId: string, taskRunId: string, type: string, properties: TaskJob['properties']): TaskJob => ({
  executionId, taskRunId, taskId: `task-${taskRunId}`, attempt: 1, type, properties,
});

describe('TaskWorker on Kafka', () => {
  it('runs a short task while a long one of the same partition is still running (the batch does not wait for it)', async () => {
    const topics = topicNames(uniqueTopicPrefix('worker-lanes'));
    // One partition: every job shares it, as unrelated executions share one of few partitions in production.
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokers(), partitions: 1, clientId: 'worker-lanes' });
    await bus.ensureTopics(Object.values(topics));
    const commands: ExecutionCommand[] = [];
    const reader = await bus.consume<ExecutionCommand>({ topic: topics.commands, groupId: 'worker-lanes-reader' }, async (m) => void commands.push(m.value));
    const worker = new TaskWorker(bus, topics, systemClock, createLogger('test', 'silent'), 'worker-1', 4);
    await worker.start();
    const resultOf = (taskRunId: string) => commands.find((c) => (c.type === 'CompleteTaskRun' || c.type === 'FailTaskRun') && c.taskRunId === taskRunId);
    try {
      await bus.publish(topics.tasks, [{ key: 'long', value: job('long', 'long.0', 'Request', { uri: `${base}/slow`, options: { readTimeout: 'PT120S' } }) }]);
      await vi.waitFor(() => expect(worker.runningAttempts()).toEqual(['long.0#1']), { timeout: 30_000 });

      await bus.publish(topics.tasks, [{ key: 'short', value: job('short', 'short.0', 'Log', { message: 'not stuck behind the long one' }) }]);
      await vi.waitFor(() => expect(resultOf('short.0')).toMatchObject({ type: 'CompleteTaskRun' }), { timeout: 30_000 });
      expect(worker.runningAttempts()).toEqual(['long.0#1']);
      expect(resultOf('long.0')).toBeUndefined();

      for (const res of held.splice(0)) res.end('done');
      await vi.waitFor(() => expect(resultOf('long.0')).toMatchObject({ type: 'CompleteTaskRun', outputs: { code: 200, body: 'started done' } }), { timeout: 30_000 });
      // Each attempt started and ended once.
      expect(commands.filter((c) => c.type === 'StartTaskRun').map((c) => c.taskRunId).sort()).toEqual(['long.0', 'short.0']);
      expect(commands.filter((c) => c.type === 'CompleteTaskRun')).toHaveLength(2);
    } finally {
      await worker.stop();
      await reader.stop();
      await bus.close();
    }
  });

  it('publishes a script\'s logs up to its byte limit (over a Kafka message\'s size in all) and its result', async () => {
    const topics = topicNames(uniqueTopicPrefix('worker-logs'));
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokers(), partitions: 1, clientId: 'worker-logs' });
    await bus.ensureTopics(Object.values(topics));
    const commands: ExecutionCommand[] = [];
    const logs: LogMessage[] = [];
    const readers = [
      await bus.consume<ExecutionCommand>({ topic: topics.commands, groupId: 'worker-logs-commands' }, async (m) => void commands.push(m.value)),
      await bus.consume<LogMessage>({ topic: topics.logs, groupId: 'worker-logs-logs' }, async (m) => void logs.push(m.value)),
    ];
    const worker = new TaskWorker(bus, topics, systemClock, createLogger('test', 'silent'), 'worker-1', 4);
    await worker.start();
    try {
      // 1,000 lines of 1,000 bytes: just under CHRONICLE_SCRIPT_MAX_LOG_BYTES (1 MiB), over one Kafka record batch.
      const script = 'const line = "z".repeat(1000); for (let i = 0; i < 1000; i++) log(line); ({ lines: 1000 })';
      await bus.publish(topics.tasks, [{ key: 'chatty', value: job('chatty', 'chatty.0', 'Script', { script }) }]);
      await vi.waitFor(() => expect(commands.find((c) => c.type === 'CompleteTaskRun')).toMatchObject({ taskRunId: 'chatty.0', outputs: { lines: 1000 } }), { timeout: 30_000 });
      await vi.waitFor(() => expect(logs).toHaveLength(1000), { timeout: 30_000 });
    } finally {
      await worker.stop();
      for (const reader of readers) await reader.stop();
      await bus.close();
    }
  });

  it('keeps its group membership while a batch waits longer than the session timeout for a lane: the waiting job runs once', async () => {
    const topics = topicNames(uniqueTopicPrefix('worker-wait'));
    // The smallest session timeout the broker allows; the waiting job waits longer than it.
    const bus = new KafkaMessageBus({ brokers: testKafkaBrokers(), partitions: 1, clientId: 'worker-wait', sessionTimeoutMs: 6_000 });
    await bus.ensureTopics(Object.values(topics));
    const commands: ExecutionCommand[] = [];
    const reader = await bus.consume<ExecutionCommand>({ topic: topics.commands, groupId: 'worker-wait-reader' }, async (m) => void commands.push(m.value));
    const worker = new TaskWorker(bus, topics, systemClock, createLogger('test', 'silent'), 'worker-1', 1);
    await worker.start();
    const ofRun = (type: string, taskRunId: string) => commands.filter((c) => c.type === type && 'taskRunId' in c && c.taskRunId === taskRunId);
    try {
      await bus.publish(topics.tasks, [{ key: 'long', value: job('long', 'long.0', 'Request', { uri: `${base}/slow`, options: { readTimeout: 'PT120S' } }) }]);
      await vi.waitFor(() => expect(worker.runningAttempts()).toEqual(['long.0#1']), { timeout: 30_000 });
      await bus.publish(topics.tasks, [{ key: 'queued', value: job('queued', 'queued.0', 'Log', { message: 'waited for the only lane' }) }]);
      await vi.waitFor(() => expect(ofRun('StartTaskRun', 'queued.0')).toHaveLength(1), { timeout: 30_000 });
      await new Promise((resolve) => setTimeout(resolve, 9_000));
      for (const res of held.splice(0)) res.end('done');

      await vi.waitFor(() => expect(ofRun('CompleteTaskRun', 'queued.0')).toHaveLength(1), { timeout: 30_000 });
      await vi.waitFor(() => expect(ofRun('CompleteTaskRun', 'long.0')).toHaveLength(1), { timeout: 30_000 });
      // Had the member been dropped from its group, the batch would have come back: started and run twice.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(ofRun('StartTaskRun', 'queued.0')).toHaveLength(1);
      expect(ofRun('CompleteTaskRun', 'queued.0')).toHaveLength(1);
    } finally {
      await worker.stop();
      await reader.stop();
      await bus.close();
    }
  }, 90_000);
});
