import { describe, expect, it } from 'vitest';
import { TaskPool } from './task-pool.js';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

describe('TaskPool', () => {
  it('admits at once while a lane is free, waits for one when all are busy, first come first served', async () => {
    const pool = new TaskPool(2);
    const long = gate();
    const short = gate();
    const order: string[] = [];
    await pool.admit(async () => void (await long.opened, order.push('long')));
    await pool.admit(async () => void (await short.opened, order.push('short')));
    expect(pool.running).toBe(2);

    let thirdAdmitted = false;
    const third = pool.admit(async () => void order.push('third')).then(() => (thirdAdmitted = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(thirdAdmitted).toBe(false);

    // The short task ends: the third gets its lane while the long one still runs.
    short.open();
    await third;
    expect(order).toEqual(['short', 'third']);
    long.open();
    await pool.drain();
    expect(order).toEqual(['short', 'third', 'long']);
    expect(pool.running).toBe(0);
  });

  it('frees the lane of a task that throws', async () => {
    const pool = new TaskPool(1);
    await pool.admit(async () => {
      throw new Error('boom');
    });
    await pool.drain();
    await pool.admit(async () => undefined);
    await pool.drain();
    expect(pool.running).toBe(0);
  });

  it('ticks while a task waits, and gives the lane back when the task is not wanted any more once it is free', async () => {
    const pool = new TaskPool(1, 10);
    const long = gate();
    await pool.admit(() => long.opened);
    let ticks = 0;
    let wanted = true;
    let ran = false;
    const waiting = pool.admit(async () => void (ran = true), { whileWaiting: () => ticks++, stillWanted: () => wanted });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(ticks).toBeGreaterThan(1);
    wanted = false;
    long.open();
    await expect(waiting).resolves.toBe(false);
    expect(ran).toBe(false);
    await pool.drain();
    expect(pool.running).toBe(0);
    await expect(pool.admit(async () => undefined)).resolves.toBe(true);
  });
});
