import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@chronicle/dev-infra';
import { createTestDatabase, GatewayClient, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { startService, type ServiceProcess } from './service-processes.js';
import { coreFlowTasksScenario } from './core-flow-tasks.scenario.js';
import { forEachItemScenario } from './for-each-item.scenario.js';
import { deploy, ended, engineScenario, history, NS, sleepAcrossRestart, start, until } from './engine.scenario.js';
import { flowPropertiesScenario } from './flow-properties.scenario.js';

const TOKEN = 'e2e-engine-distributed-admin-token-01';
const READY = /(executor|scheduler|projection) ready|gateway listening/;

// The execution engine in distributed mode: projection, scheduler, gateway and two executor
// replicas, each its own OS process, over the real Kafka and Postgres. Leases and Kafka
// sessions are short so that a dead replica's work is taken over within seconds.
describe('execution engine in distributed mode (services as OS processes over Kafka), end to end', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const services: ServiceProcess[] = [];
  const executors = new Map<string, ServiceProcess>();
  let scheduler: ServiceProcess;
  let client: GatewayClient;
  let slow: Server;
  let slowUrl = '';

  const startExecutor = async (name: string) => {
    const executor = startService('executor', name, { ...env, CHRONICLE_INSTANCE_ID: name });
    services.push(executor);
    executors.set(name, executor);
    await executor.waitFor(READY);
    return executor;
  };
  const startScheduler = async () => {
    scheduler = startService('scheduler', 'scheduler', env);
    services.push(scheduler);
    await scheduler.waitFor(READY);
  };

  beforeAll(async () => {
    // Answers after `ms` milliseconds: a task that takes a while without burning CPU.
    slow = createServer((req, res) => {
      const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? '0');
      setTimeout(() => res.end(JSON.stringify({ waited: ms })), ms);
    });
    const slowPort = await freePort();
    await new Promise<void>((resolve) => slow.listen(slowPort, '127.0.0.1', resolve));
    slowUrl = `http://127.0.0.1:${slowPort}`;

    db = await createTestDatabase('e2e_engine_distributed');
    const port = await freePort();
    env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      CHRONICLE_TOPIC_PREFIX: uniqueTopicPrefix('engine'),
      CHRONICLE_TOKENS: `ADMIN=${TOKEN}`,
      CHRONICLE_LOG_LEVEL: 'info',
      CHRONICLE_LEASE_TIMEOUT_MS: '6000',
      CHRONICLE_KAFKA_SESSION_TIMEOUT_MS: '6000',
    };
    const projection = startService('projection', 'projection', env);
    services.push(projection);
    await projection.waitFor(/projection ready/);
    const gateway = startService('gateway', 'gateway', { ...env, PORT: String(port), CHRONICLE_INSTANCE_ID: 'gateway' });
    services.push(gateway);
    await Promise.all([startExecutor('executor-1'), startExecutor('executor-2'), startScheduler(), gateway.waitFor(READY)]);
    client = new GatewayClient(`http://127.0.0.1:${port}`, TOKEN);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
    await new Promise((resolve) => slow?.close(resolve));
  });

  flowPropertiesScenario(() => client);
  engineScenario(() => client);
  coreFlowTasksScenario(() => client);
  forEachItemScenario(() => client);

  it('an executor replica killed with SIGKILL in the middle of a 20-task flow: another one finishes it, every attempt recorded', async () => {
    const c = client;
    const tasks = Array.from({ length: 20 }, (_, i) => `  - { id: t${i + 1}, type: io.kestra.plugin.core.http.Request, uri: "${slowUrl}/?ms=300" }`);
    await deploy(c, `id: twenty\nnamespace: ${NS}\ntasks:\n${tasks.join('\n')}\n`);
    const id = await start(c, 'twenty');
    await until(c, id, 'three tasks done', (e) => e.taskRuns.filter((t) => t.state === 'SUCCESS').length >= 3);
    // The replica whose worker runs this execution's tasks (its tasks partition) holds the work.
    const started = (await history(c, id)).filter((e) => e.type === 'TaskRunStarted');
    const victim = started[started.length - 1]!.data.workerId as string;
    const survivor = [...executors.keys()].find((name) => name !== victim)!;
    executors.get(victim)!.child.kill('SIGKILL');
    executors.delete(victim);

    const done = await ended(c, id, 90_000);

    expect(done.state).toBe('SUCCESS');
    expect(done.taskRuns.map((t) => t.taskId)).toEqual(Array.from({ length: 20 }, (_, i) => `t${i + 1}`));
    for (const run of done.taskRuns) {
      expect(run.state).toBe('SUCCESS');
      // Ran to completion once, or visibly more than once: a lost attempt ended FAILED as "worker lost".
      const last = run.attempts[run.attempts.length - 1]!;
      expect(last.state).toBe('SUCCESS');
      expect(run.attempts.map((a) => a.number)).toEqual(run.attempts.map((_, i) => i + 1));
      for (const lost of run.attempts.slice(0, -1)) expect(lost).toMatchObject({ state: 'FAILED', error: expect.stringMatching(/worker lost/) });
      expect(run.outputs).toMatchObject({ code: 200 });
    }
    const events = await history(c, id);
    const workers = events.filter((e) => e.type === 'TaskRunStarted').map((e) => e.data.workerId as string);
    expect(workers).toContain(victim);
    expect(workers[workers.length - 1]).toBe(survivor);
    expect(events.filter((e) => e.type === 'ExecutionSucceeded')).toHaveLength(1);
    // Back to two replicas for what follows.
    await startExecutor('executor-3');
  });

  it('a Sleep of 5 s survives a restart of the scheduler and the executors (its timer is durable)', async () => {
    await sleepAcrossRestart(() => client, async () => {
      const running = [...executors.values(), scheduler];
      await Promise.all(running.map((s) => s.stop('SIGKILL')));
      executors.clear();
      await Promise.all([startExecutor('executor-4'), startExecutor('executor-5'), startScheduler()]);
    });
  });
});
