import { timerMessage, type TimerMessage } from '@chronicle/contracts';
import type { FireTimer } from '@chronicle/domain';
import { InProcessMessageBus, topicNames, type MessageBus } from '@chronicle/messaging';
import { createLogger, systemClock } from '@chronicle/runtime';
import { PostgresDurableTimers } from '@chronicle/stores';
import { createTestDatabase, type TestDatabase } from '@chronicle/testing';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DurableTimersService } from './durable-timers.service.js';

const topics = topicNames('timers-test');
const logger = createLogger('timers-test', 'silent');
let db: TestDatabase;
let pool: pg.Pool;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  db = await createTestDatabase('timers');
  pool = new pg.Pool({ connectionString: db.url });
});
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
  await pool.query('DROP TABLE IF EXISTS scheduled_timers');
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

async function newBus(): Promise<{ bus: InProcessMessageBus; fired: Array<FireTimer & { key: string }>; delivered: unknown[] }> {
  const bus = new InProcessMessageBus({ partitions: 2 });
  await bus.ensureTopics(Object.values(topics));
  const fired: Array<FireTimer & { key: string }> = [];
  const delivered: unknown[] = [];
  const consumer = await bus.consume<{ type: string }>({ topic: topics.commands, groupId: 'test-observer' }, async (m) => {
    if (m.value.type === 'FireTimer') fired.push({ ...(m.value as FireTimer), key: m.key });
    else delivered.push(m.value);
  });
  cleanup.push(async () => {
    await consumer.stop();
    await bus.close();
  });
  return { bus, fired, delivered };
}

/** The service over the real Postgres table (its schema ensured, as the platform does before a service starts). */
async function startService(bus: MessageBus): Promise<DurableTimersService> {
  const timers = new PostgresDurableTimers(pool, db.url, logger);
  await timers.ensureSchema();
  const service = new DurableTimersService({ timers, bus, topics, clock: systemClock, logger });
  cleanup.push(() => service.stop());
  return service;
}

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const schedule = (bus: MessageBus, executionId: string, timerId: string, fireAt: string) =>
  bus.publish(topics.timers, [{ key: executionId, value: timerMessage.schedule({ timerId, executionId, fireAt, purpose: 'sleep' }) satisfies TimerMessage }]);
const cancel = (bus: MessageBus, executionId: string, timerId: string) =>
  bus.publish(topics.timers, [{ key: executionId, value: timerMessage.cancel({ timerId, executionId }) }]);
const row = async (timerId: string) =>
  (await pool.query<{ fired_at: Date | null; cancelled: boolean }>('SELECT fired_at, cancelled FROM scheduled_timers WHERE timer_id = $1', [timerId])).rows[0];

describe('DurableTimersService over the Postgres timer table (real Postgres)', () => {
  it('fires a due timer once, on the commands topic keyed by execution, not before its time; a later one waits', async () => {
    const { bus, fired } = await newBus();
    const service = await startService(bus);
    await service.start();
    const soon = inMs(300);
    await schedule(bus, 'e1', 'e1.0/sleep', soon);
    await schedule(bus, 'e2', 'e2.0/sleep', inMs(3_600_000));

    await vi.waitFor(() => expect(fired).toHaveLength(1), { timeout: 10_000 });
    expect(fired[0]).toMatchObject({ type: 'FireTimer', executionId: 'e1', timerId: 'e1.0/sleep', key: 'e1' });
    expect(Date.parse(fired[0]!.now)).toBeGreaterThanOrEqual(Date.parse(soon));
    expect((await row('e1.0/sleep'))?.fired_at).toBeInstanceOf(Date);
    expect((await row('e2.0/sleep'))?.fired_at).toBeNull();

    // A redelivered schedule of a fired timer does not fire it again.
    await schedule(bus, 'e1', 'e1.0/sleep', soon);
    await schedule(bus, 'e3', 'e3.0/sleep', inMs(100));
    await vi.waitFor(() => expect(fired.map((f) => f.timerId)).toContain('e3.0/sleep'), { timeout: 10_000 });
    expect(fired.map((f) => f.timerId)).toEqual(['e1.0/sleep', 'e3.0/sleep']);
  });

  it('survives a restart: a timer stored before the service stopped fires after the next start', async () => {
    const first = await newBus();
    const before = await startService(first.bus);
    await before.start();
    await vi.waitFor(() => expect(before.isLeader).toBe(true));
    await schedule(first.bus, 'e1', 'e1.0/retry/1', inMs(1_000));
    await vi.waitFor(async () => expect(await row('e1.0/retry/1')).toMatchObject({ fired_at: null, cancelled: false }));
    await before.stop();
    expect(first.fired).toEqual([]);

    // A new process: a fresh bus (nothing in flight) and only the table remembers the timer.
    const second = await newBus();
    const after = await startService(second.bus);
    await after.start();
    await vi.waitFor(() => expect(second.fired.map((f) => f.timerId)).toEqual(['e1.0/retry/1']), { timeout: 10_000 });
    expect(first.fired).toEqual([]);
  });

  it('never fires a cancelled timer, even when the cancel arrives before the schedule', async () => {
    const { bus, fired } = await newBus();
    const service = await startService(bus);
    await service.start();
    await schedule(bus, 'e1', 'e1.0/pause', inMs(200));
    await cancel(bus, 'e1', 'e1.0/pause');
    await cancel(bus, 'e2', 'e2.0/pause');
    await schedule(bus, 'e2', 'e2.0/pause', inMs(200));
    await schedule(bus, 'e3', 'e3.0/marker', inMs(800));

    await vi.waitFor(() => expect(fired.map((f) => f.timerId)).toContain('e3.0/marker'), { timeout: 10_000 });
    expect(fired.map((f) => f.timerId)).toEqual(['e3.0/marker']);
    expect(await row('e1.0/pause')).toMatchObject({ cancelled: true, fired_at: null });
    expect(await row('e2.0/pause')).toMatchObject({ cancelled: true, fired_at: null });
  });

  it('delivers a timer\'s own message instead of FireTimer when it carries one (a delayed retry execution)', async () => {
    const { bus, fired, delivered } = await newBus();
    const service = await startService(bus);
    await service.start();
    const value = { type: 'CreateRetryExecution', newExecutionId: 'n1', retriedExecutionId: 'e1' };
    await bus.publish(topics.timers, [{ key: 'e1', value: timerMessage.schedule({ timerId: 'retry-execution:n1', executionId: 'e1', fireAt: inMs(100), deliver: { key: 'n1', value } }) }]);

    await vi.waitFor(() => expect(delivered).toEqual([value]), { timeout: 10_000 });
    expect(fired).toEqual([]);
  });

  it('with two services only the leader fires (each timer once); when it stops, the other takes over', async () => {
    const { bus, fired } = await newBus();
    const a = await startService(bus);
    await a.start();
    await vi.waitFor(() => expect(a.isLeader).toBe(true));
    const b = await startService(bus);
    await b.start();
    expect(b.isLeader).toBe(false);

    // Both store (they share the topic's partitions); the leader hears of B's inserts through NOTIFY.
    const ids = Array.from({ length: 12 }, (_, i) => `e${i}`);
    for (const id of ids) await schedule(bus, id, `${id}.0/sleep`, inMs(200));
    await vi.waitFor(() => expect(fired).toHaveLength(ids.length), { timeout: 10_000 });
    expect(new Set(fired.map((f) => f.timerId)).size).toBe(ids.length);

    await a.stop();
    await vi.waitFor(() => expect(b.isLeader).toBe(true), { timeout: 10_000 });
    await schedule(bus, 'late', 'late.0/sleep', inMs(100));
    await vi.waitFor(() => expect(fired.map((f) => f.timerId)).toContain('late.0/sleep'), { timeout: 10_000 });
    expect(fired).toHaveLength(ids.length + 1);
  });
});
