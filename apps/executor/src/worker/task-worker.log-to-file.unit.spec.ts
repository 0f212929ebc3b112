import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvSecrets, LocalFolderStorage } from '@chronicle/stores';
import type { ExecutionCommand, TaskJob } from '@chronicle/domain';
import { InProcessMessageBus, topicNames } from '@chronicle/messaging';
import { createLogger } from '@chronicle/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaskServices } from '@chronicle/tasks';
import { TaskWorker, type LogMessage } from './task-worker.js';

const NOW = '2025-01-01T00:00:00.000Z';
const topics = topicNames('worker-log-to-file');
const logger = createLogger('test', 'silent');
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function runOne(job: TaskJob) {
  const folder = await mkdtemp(join(tmpdir(), 'chronicle-log-to-file-'));
  cleanup.push(() => rm(folder, { recursive: true, force: true }));
  const storage = new LocalFolderStorage(folder);
  // The Log task reaches no KV store: the worker only needs the storage here.
  const services = { storage, secrets: new EnvSecrets({}), now: () => NOW } as unknown as TaskServices;
  const bus = new InProcessMessageBus({ partitions: 1 });
  await bus.ensureTopics(Object.values(topics));
  cleanup.push(() => bus.close());
  await bus.publish(topics.tasks, [{ key: job.executionId, value: job }]);
  const worker = new TaskWorker(bus, topics, { now: () => NOW }, logger, 'worker-1', 1, { services });
  await worker.start();
  cleanup.push(() => worker.stop());
  const read = <T>(topic: string) => bus.retained(topic).map((r) => JSON.parse(r.value!) as T);
  await vi.waitFor(() => expect(read(topics.commands)).toHaveLength(2));
  await worker.stop();
  return { storage, result: read<ExecutionCommand>(topics.commands)[1]!, logs: read<LogMessage>(topics.logs) };
}

// Kestra: core/src/test/resources/flows/valids/log-to-file.yaml (a Log `Hello World!` with
// logToFile: true) and core/src/test/java/io/kestra/core/runners/LogToFileTest.java: the attempt
// has a logFile, whose one line holds INFO and the message.
describe('TaskWorker with logToFile', () => {
  const hello: TaskJob = {
    executionId: 'e1', taskRunId: 'e1.0', taskId: 'hello', attempt: 1, type: 'Log', properties: { message: 'Hello World!' },
    logToFile: true, flow: { namespace: 'io.kestra.tests', flowId: 'log-to-file' },
  };

  it('writes the attempt\'s lines to a file of the internal storage and reports it as the attempt\'s logFile (LogToFileTest)', async () => {
    const { storage, result, logs } = await runOne(hello);
    expect(result).toMatchObject({ type: 'CompleteTaskRun', taskRunId: 'e1.0', outputs: {} });
    const logFile = (result as { logFile?: string }).logFile;
    expect(logFile).toMatch(/^kestra:\/\/\/io\/kestra\/tests\/log-to-file\/executions\/e1\/tasks\/hello\/e1\.0\/log-[0-9a-f]{5}\.txt$/);
    const lines = (await storage.get(logFile!)).toString('utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('INFO');
    expect(lines[0]).toContain('Hello World!');
    // The lines are in the file instead of the log store, as Kestra's RunContextLogger does.
    expect(logs).toEqual([]);
  });

  it('without logToFile, the lines go to the log store and the attempt has no logFile', async () => {
    const { logToFile: _drop, ...plain } = hello;
    const { result, logs } = await runOne(plain);
    expect(result).not.toHaveProperty('logFile');
    expect(logs.map((l) => l.message)).toEqual(['Hello World!']);
  });
});
