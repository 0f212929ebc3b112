import { describe, expect, it } from 'vitest';
import { WakesBehindOwnAppends } from './wakes-behind-own-appends.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An append whose answer the test releases. */
function pendingAppend() {
  let answer!: (value: string) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<string>((resolve, reject) => ((answer = resolve), (fail = reject)));
  return { run: () => promise, answer, fail };
}

describe('WakesBehindOwnAppends', () => {
  it('wakes at once when no own append is in flight', () => {
    const woken: string[] = [];
    const wakes = new WakesBehindOwnAppends<string>((n) => woken.push(n));
    wakes.notify('p1');
    expect(woken).toEqual(['p1']);
  });

  it('holds a wake that arrives before the own append has its answer, and wakes after the caller went on', async () => {
    const order: string[] = [];
    const wakes = new WakesBehindOwnAppends<string>((n) => order.push(`wake ${n}`));
    const append = pendingAppend();
    const done = wakes.around(append.run).then((answer) => void order.push(`caller has ${answer}`));
    // Postgres signals the listener before it answers the committing connection.
    wakes.notify('p7');
    expect(order).toEqual([]);
    append.answer('r7');
    await done;
    expect(order).toEqual(['caller has r7']);
    await nextTurn();
    expect(order).toEqual(['caller has r7', 'wake p7']);
  });

  it('releases every held wake, in arrival order, when an append fails too', async () => {
    const woken: (string | undefined)[] = [];
    const wakes = new WakesBehindOwnAppends<string | undefined>((n) => woken.push(n));
    const append = pendingAppend();
    const done = wakes.around(append.run).catch(() => 'refused');
    wakes.notify('p1');
    wakes.notify(undefined); // a reconnection's wake, without a notice
    wakes.notify('p3');
    append.fail(new Error('wrong expected version'));
    expect(await done).toBe('refused');
    await nextTurn();
    expect(woken).toEqual(['p1', undefined, 'p3']);
  });

  it('cannot starve the subscriptions: each append that settles releases what is held, while others are still in flight', async () => {
    const woken: string[] = [];
    const wakes = new WakesBehindOwnAppends<string>((n) => woken.push(n));
    const first = pendingAppend();
    const second = pendingAppend();
    const a = wakes.around(first.run);
    const b = wakes.around(second.run);
    wakes.notify('p1');
    first.answer('r1');
    await a;
    await nextTurn();
    expect(woken).toEqual(['p1']);
    // Still in flight: a wake now waits for it, and a wake after it keeps its place behind the held one.
    wakes.notify('p2');
    expect(woken).toEqual(['p1']);
    second.answer('r2');
    await b;
    await nextTurn();
    expect(woken).toEqual(['p1', 'p2']);
    wakes.notify('p3');
    expect(woken).toEqual(['p1', 'p2', 'p3']);
  });
});
