import { describe, expect, it } from 'vitest';
import { TaskKilled } from '@chronicle/tasks';
import { untilAborted } from './until-aborted.js';

describe('untilAborted', () => {
  it('gives the task\'s result when nothing aborts it', async () => {
    await expect(untilAborted(Promise.resolve(42), new AbortController().signal, 10)).resolves.toBe(42);
  });

  it('stops waiting for a task that ignores the kill once the grace period is over', async () => {
    const controller = new AbortController();
    const stubborn = new Promise<number>(() => undefined);
    const waiting = untilAborted(stubborn, controller.signal, 50);
    controller.abort(new TaskKilled('operator'));
    await expect(waiting).rejects.toThrow('task run killed: operator');
  });

  it('reports the kill, not the result, of a task that finishes after it was killed', async () => {
    const controller = new AbortController();
    let finish!: (v: number) => void;
    const waiting = untilAborted(new Promise<number>((resolve) => (finish = resolve)), controller.signal, 1_000);
    controller.abort(new TaskKilled());
    finish(1);
    await expect(waiting).rejects.toBeInstanceOf(TaskKilled);
  });
});
