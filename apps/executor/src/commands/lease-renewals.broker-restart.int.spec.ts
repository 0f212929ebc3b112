import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskRunLeases } from '@chronicle/stores';
import type { ExecutionCommand, TaskJob } from '@chronicle/domain';
import { KafkaMessageBus, topicNames, type Consumer } from '@chronicle/messaging';
import { freePort, startKafka, type KafkaServer } from '@chronicle/dev-infra';
import { createLogger, systemClock } from '@chronicle/runtime';
import { createTestDatabase, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TaskWorker } from '../worker/task-worker.js';
import { consumeExecutionCommands } from './execution-command.consumer.js';
import type { ExecutionCommandHandler } from './execution-command.handler.js';

// The chaos suite's "stuck after a broker restart" (issue #18): while the executors' consumer
// group rejoined the restarted broker, a running task kept renewing its lease, so the first
// batch after the restart held several ReportTaskRunAlive of one attempt. Recording them took one
// INSERT … ON CONFLICT DO UPDATE, which Postgres refuses when it touches a row twice; the batch
// was retried forever and every execution on that commands partition stayed CREATED/RUNNING.
// This restarts a broker of its own (never the shared one), so it runs on its own Kafka.

let kafka: KafkaServer;
let kafkaDir: string;
let port: number;
let controllerPort: number;
let db: TestDatabase;
let pool: pg.Pool;
let server: Server;
let base: string;
const held: ServerResponse[] = [];

beforeAll(async () => {
  // The database first: without a test Postgres the file fails before a broker is left running.
  db = await createTestDatabase('lease_restart');
  kafkaDir = mkdtempSync(join(tmpdir(), 'chronicle-lease-restart-kafka-'));
  [port, controllerPort] = [await freePort(), await freePort()];
  kafka = await startKafka({ dataDir: kafkaDir, port, controllerPort, readyTimeoutMs: 120_000 });
  pool = new pg.Pool({ connectionString: db.url });
  // A long task that costs no CPU: a Request whose response stays open until the test ends.
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('started ');
    held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  for (const res of held) res.end('done');
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await pool?.end();
  await db?.drop();
  await kafka?.stop();
  if (kafkaDir) rmSync(kafkaDir, { recursive: true, force: true });
}, 60_000);

describe('the executor command consumer across a broker restart', () => {
  it('keeps deciding when the first batch after the restart holds several lease renewals of one attempt', async () => {
    const topics = topicNames(uniqueTopicPrefix('lease-restart'));
    // One partition: the renewals and the later command share it, as one execution's messages do.
    const bus = new KafkaMessageBus({ brokers: [kafka.brokers], partitions: 1, clientId: 'lease-restart', sessionTimeoutMs: 3000, onHandlerError: () => undefined, logCreator: () => () => undefined });
    await bus.ensureTopics(Object.values(topics));
    const leases = new TaskRunLeases(pool);
    await leases.ensureSchema();
    const decided: ExecutionCommand[] = [];
    // The aggregate's side is not under test: it records what reached it.
    const handler = { handle: async (commands: ExecutionCommand[]) => {
        decided.push(...commands);
        return [];
      },
    } as unknown as ExecutionCommandHandler;
    const logger = createLogger('test', 'silent');
    const worker = new TaskWorker(bus, topics, systemClock, logger, 'worker-1', 2, { leaseRenewalMs: 150 });
    let consumer: Consumer | undefined;
    try {
      [consumer] = await Promise.all([consumeExecutionCommands(bus, topics, { handler, leases }, logger), worker.start()]);
      const job: TaskJob = { executionId: 'e1', taskRunId: 'e1.0', taskId: 'slow', attempt: 1, type: 'Request', properties: { uri: `${base}/slow`, options: { readTimeout: 'PT300S' } } };
      await bus.publish(topics.tasks, [{ key: 'e1', value: job }]);
      const renewedAt = async () => (await pool.query<{ renewed_at: Date }>(`SELECT renewed_at FROM task_run_leases WHERE task_run_id = 'e1.0' AND attempt = 1`)).rows[0]?.renewed_at.getTime() ?? 0;
      await vi.waitFor(async () => expect(await renewedAt()).toBeGreaterThan(0), { timeout: 60_000, interval: 200 });

      await kafka.stop();
      kafka = await startKafka({ dataDir: kafkaDir, port, controllerPort, readyTimeoutMs: 120_000 });
      const back = Date.now();

      // Whatever reaches the partition after the restart is decided, and the lease keeps being renewed.
      await bus.publish(topics.commands, [{ key: 'e1', value: { type: 'KillExecution', executionId: 'e1', now: new Date().toISOString() } satisfies ExecutionCommand }]);
      await vi.waitFor(() => expect(decided.map((c) => c.type)).toContain('KillExecution'), { timeout: 90_000, interval: 200 });
      await vi.waitFor(async () => expect(await renewedAt()).toBeGreaterThan(back), { timeout: 30_000, interval: 200 });
    } finally {
      for (const res of held.splice(0)) res.end('done');
      await worker.stop();
      await consumer?.stop();
      await bus.close();
    }
  }, 300_000);
});
