import { describe, expect, it, vi } from 'vitest';
import { InFlightLimit } from './in-flight-limit.js';

function limitOf(max: number, holdMs = 10_000) {
  const clock = { t: 0 };
  return { clock, limit: new InFlightLimit({ max, holdMs, now: () => clock.t }) };
}

describe('InFlightLimit', () => {
  it('refuses past `max` executions in flight and admits again once one ends', () => {
    const { limit } = limitOf(2);
    limit.tryAcquire()!.bind('a');
    limit.tryAcquire()!.bind('b');
    expect(limit.tryAcquire()).toBeUndefined();
    expect(limit.inFlight).toBe(2);
    limit.ended('a');
    expect(limit.inFlight).toBe(1);
    expect(limit.tryAcquire()).toBeDefined();
  });

  it('a released slot (the start failed or found an existing execution) is free at once; releasing twice frees one', () => {
    const { limit } = limitOf(1);
    const slot = limit.tryAcquire()!;
    slot.release();
    slot.release();
    const next = limit.tryAcquire()!;
    expect(next).toBeDefined();
    expect(limit.inFlight).toBe(1);
    expect(limit.tryAcquire()).toBeUndefined();
  });

  it('frees the slot of an execution that runs longer than holdMs (a Pause does not hold admission for days)', () => {
    const { clock, limit } = limitOf(1, 5_000);
    limit.tryAcquire()!.bind('long');
    clock.t = 4_999;
    expect(limit.tryAcquire()).toBeUndefined();
    clock.t = 5_000;
    expect(limit.tryAcquire()).toBeDefined();
    // Its end, seen later, frees nothing it no longer holds.
    limit.ended('long');
    expect(limit.inFlight).toBe(1);
  });

  it('an end seen before its slot is bound frees the slot at bind (the execution ended in its creation\'s own write, the creator ran late)', () => {
    const { limit } = limitOf(1);
    const slot = limit.tryAcquire()!;
    limit.ended('early');
    expect(limit.inFlight).toBe(1);
    slot.bind('early');
    expect(limit.inFlight).toBe(0);
    expect(limit.tryAcquire()).toBeDefined();
  });

  it('keeps an end for a later bind only while a slot waits for its id, and only the newest 4,096', () => {
    const { limit } = limitOf(2);
    // No slot waiting: an end is not kept (no execution created later can have ended already).
    limit.ended('before');
    const late = limit.tryAcquire()!;
    late.bind('before');
    expect(limit.inFlight).toBe(1);
    // A slot waiting: ends are kept, the oldest dropped past 4,096.
    const slot = limit.tryAcquire()!;
    limit.ended('oldest');
    for (let i = 0; i < 4_096; i++) limit.ended(`other-${i}`);
    slot.bind('oldest');
    expect(limit.inFlight).toBe(2);
    late.release();
    const next = limit.tryAcquire()!;
    limit.ended('newest');
    next.bind('newest');
    expect(limit.inFlight).toBe(1);
  });

  it('an end seen before its bind counts as the execution taken up: its queueing delay is measured at bind', () => {
    const clock = { t: 0 };
    const limit = new InFlightLimit({ max: 10, holdMs: 60_000, now: () => clock.t, measured: { targetDelayMs: 100, floor: 1 } });
    const slots = Array.from({ length: 5 }, () => limit.tryAcquire()!);
    slots.forEach((_, i) => limit.ended(`e${i}`));
    clock.t = 500;
    slots.forEach((slot, i) => slot.bind(`e${i}`));
    clock.t = 1_000;
    // Five taken up in the window, 500 ms after admission (past the 100 ms target): rate × target = 1.
    expect(limit.max).toBe(1);
    expect(limit.inFlight).toBe(0);
  });

  it('the end of an unknown execution changes nothing', () => {
    const { limit } = limitOf(1);
    limit.tryAcquire()!.bind('a');
    limit.ended('someone-else');
    expect(limit.inFlight).toBe(1);
  });

  it('acquire waits, first come first served, and each waiter gets the slot the next end frees (a Kafka trigger pauses)', async () => {
    const { limit } = limitOf(1);
    const first = await limit.acquire();
    first.bind('a');
    const order: string[] = [];
    const second = limit.acquire().then((s) => (order.push('second'), s));
    const third = limit.acquire().then((s) => (order.push('third'), s));
    await Promise.resolve();
    expect(order).toEqual([]);
    limit.ended('a');
    (await second).bind('b');
    expect(order).toEqual(['second']);
    limit.ended('b');
    await third;
    expect(order).toEqual(['second', 'third']);
    expect(limit.inFlight).toBe(1);
  });

  it('a waiter that times out is refused with a retryable AtCapacityError and takes no slot later', async () => {
    const { limit } = limitOf(1);
    (await limit.acquire()).bind('a');
    await expect(limit.acquire(20)).rejects.toMatchObject({ name: 'AtCapacityError', code: 'OVERLOADED' });
    limit.ended('a');
    expect(limit.inFlight).toBe(0);
  });

  it('never holds more than `max` slots, whatever the mix of ends, releases and expiries (the memory it keeps is bounded)', () => {
    const { clock, limit } = limitOf(50, 1_000);
    let admitted = 0;
    for (let i = 0; i < 10_000; i++) {
      clock.t += 7;
      const slot = limit.tryAcquire();
      if (slot) {
        admitted++;
        if (i % 3 === 0) slot.release();
        else slot.bind(`e${i}`);
      }
      if (i % 5 === 0) limit.ended(`e${i - 40}`);
      expect(limit.inFlight).toBeLessThanOrEqual(50);
    }
    expect(admitted).toBeGreaterThan(50);
  });

  it('past the memory ceiling no slot is given, whatever is in flight, until memory falls', () => {
    let rss = 100 * 1024 * 1024;
    const limit = new InFlightLimit({ max: 10, holdMs: 1_000, maxRssMb: 200, rss: () => rss });
    expect(limit.tryAcquire()).toBeDefined();
    rss = 201 * 1024 * 1024;
    expect(limit.overMemory).toBe(true);
    expect(limit.tryAcquire()).toBeUndefined();
    rss = 150 * 1024 * 1024;
    expect(limit.tryAcquire()).toBeDefined();
  });

  it('a Kafka trigger waiting past the memory ceiling gets its slot once memory falls (no slot was taken meanwhile)', async () => {
    let rss = 300 * 1024 * 1024;
    // holdMs 40: the sweep that re-checks while someone waits runs every 10 ms.
    const limit = new InFlightLimit({ max: 10, holdMs: 40, maxRssMb: 200, rss: () => rss });
    let given = false;
    const waiting = limit.acquire().then((slot) => ((given = true), slot));
    await new Promise((resolve) => setImmediate(resolve));
    expect(given).toBe(false);
    expect(limit.inFlight).toBe(0);
    rss = 100 * 1024 * 1024;
    await waiting;
    expect(limit.inFlight).toBe(1);
  });

  it('reads the process memory at most once per 100 ms of its clock (admission looks at it on every start)', () => {
    let t = 0;
    const reads = vi.spyOn(process.memoryUsage, 'rss');
    try {
      const limit = new InFlightLimit({ max: 0, holdMs: 1_000, maxRssMb: 1_000_000, now: () => t });
      for (let i = 0; i < 50; i++) expect(limit.overMemory).toBe(false);
      expect(reads).toHaveBeenCalledTimes(1);
      t += 100;
      expect(limit.overMemory).toBe(false);
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
  });

  it('max 0 means no bound', () => {
    const { limit } = limitOf(0);
    for (let i = 0; i < 100; i++) expect(limit.tryAcquire()).toBeDefined();
    expect(limit.inFlight).toBe(0);
  });

  it('sheds on the event loop\'s delay: past `maxMs` late with `floor` in flight no slot is given, below the floor or once the loop catches up it is', () => {
    const loop = { lagMs: 0 };
    const limit = new InFlightLimit({ max: 100, holdMs: 10_000, loopDelay: { maxMs: 150, floor: 2, lagMs: () => loop.lagMs } });
    limit.tryAcquire()!.bind('a');
    loop.lagMs = 400;
    // One in flight: a late loop with almost nothing admitted is not this work's doing (a GC pause, a busy machine).
    expect(limit.loopLagging).toBe(false);
    limit.tryAcquire()!.bind('b');
    expect(limit.loopLagging).toBe(true);
    expect(limit.atCapacity()).toBe(true);
    expect(limit.tryAcquire()).toBeUndefined();
    expect(limit.loopDelayMs).toBe(400);
    expect(limit.maxLoopDelayMs).toBe(150);
    loop.lagMs = 150;
    expect(limit.atCapacity()).toBe(false);
    expect(limit.tryAcquire()).toBeDefined();
  });

  it('sheds on the event loop\'s utilisation: busier than `max` with `floor` in flight no slot is given, below the floor or once the loop has room again it is', () => {
    const loop = { utilisation: 0.5 };
    const limit = new InFlightLimit({ max: 100, holdMs: 10_000, loopUtilisation: { max: 0.9, floor: 2, utilisation: () => loop.utilisation } });
    limit.tryAcquire()!.bind('a');
    loop.utilisation = 1;
    // One in flight: a busy loop with almost nothing admitted is not this work's doing; a few are always let in.
    expect(limit.loopBusy).toBe(false);
    limit.tryAcquire()!.bind('b');
    expect(limit.loopBusy).toBe(true);
    expect(limit.atCapacity()).toBe(true);
    expect(limit.tryAcquire()).toBeUndefined();
    expect(limit.loopUtilisation).toBe(1);
    expect(limit.maxLoopUtilisation).toBe(0.9);
    // Refusing gave the loop room: starts are admitted again, no slot was taken by the refusals.
    loop.utilisation = 0.85;
    expect(limit.atCapacity()).toBe(false);
    expect(limit.tryAcquire()).toBeDefined();
    expect(limit.inFlight).toBe(3);
  });

  it('a loop-utilisation bound of 0 sheds on nothing else than in-flight and memory, and alone it still bounds', () => {
    const off = new InFlightLimit({ max: 100, holdMs: 10_000, loopUtilisation: { max: 0, floor: 1, utilisation: () => 1 } });
    for (let i = 0; i < 10; i++) expect(off.tryAcquire()).toBeDefined();
    expect(off.maxLoopUtilisation).toBe(0);
    expect(off.loopBusy).toBe(false);
    const only = new InFlightLimit({ max: 0, holdMs: 10_000, loopUtilisation: { max: 0.9, floor: 1, utilisation: () => 1 } });
    expect(only.bounded).toBe(true);
    only.tryAcquire()!.bind('a');
    expect(only.tryAcquire()).toBeUndefined();
  });

  it('a loop-delay bound of 0 sheds on nothing else than in-flight and memory', () => {
    const limit = new InFlightLimit({ max: 100, holdMs: 10_000, loopDelay: { maxMs: 0, floor: 1, lagMs: () => 10_000 } });
    for (let i = 0; i < 10; i++) expect(limit.tryAcquire()).toBeDefined();
    expect(limit.maxLoopDelayMs).toBe(0);
  });
});
