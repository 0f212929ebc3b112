import { describe, expect, it } from 'vitest';
import { scriptTask } from './script.task.js';
import { taskContext } from '../test-support/task-test-context.js';

const run = (script: string, extra: Record<string, unknown> = {}, context?: Record<string, unknown>) => {
  const t = taskContext('Script', { script, ...extra } as never, context ? { context: context as never } : {});
  return { ...t, result: scriptTask(t.context) };
};

describe('Script task (QuickJS sandbox)', () => {
  it('returns the value of the last expression as outputs, seeing inputs and earlier outputs', async () => {
    const { result } = run('({ greeting: `hello ${inputs.name}`, doubled: outputs.first.values.n * 2 })', {}, {
      inputs: { name: 'Ada' },
      outputs: { first: { values: { n: 21 } } },
    });
    await expect(result).resolves.toEqual({ greeting: 'hello Ada', doubled: 42 });
  });

  it('accepts a top-level return, puts a non-object result under value, and forwards logs and metrics', async () => {
    const { result, logs, metrics } = run('log("start", { a: 1 }); console.warn("careful"); counter("items", 3); timer("took", 12); return [1, 2, 3];');
    await expect(result).resolves.toEqual({ value: [1, 2, 3] });
    expect(logs).toEqual([{ level: 'INFO', message: 'start {"a":1}' }, { level: 'WARN', message: 'careful' }]);
    expect(metrics).toEqual([{ name: 'items', type: 'counter', value: 3 }, { name: 'took', type: 'timer', value: 12 }]);
  });

  it('settles a promise the script returns (microtasks only)', async () => {
    await expect(run('(async () => ({ ok: await Promise.resolve(true) }))()').result).resolves.toEqual({ ok: true });
  });

  it('fails an infinite loop with the time limit in the message', async () => {
    await expect(run('while (true) {}', { timeout: 'PT0.3S' }).result).rejects.toThrow('script exceeded its time limit of 300 ms');
  });

  it('fails an unbounded allocation with the memory limit in the message', async () => {
    await expect(run('const a = []; while (true) a.push({ i: a.length, s: "v" + a.length });', { memoryLimitMb: 16, timeout: 'PT30S' }).result).rejects.toThrow(
      'script exceeded its memory limit of 16 MiB',
    );
  });

  it('has no access to the host: no require, process, fetch or file system', async () => {
    const { result } = run('({ require: typeof require, process: typeof process, fetch: typeof fetch, std: typeof std, os: typeof os, setTimeout: typeof setTimeout })');
    await expect(result).resolves.toEqual({ require: 'undefined', process: 'undefined', fetch: 'undefined', std: 'undefined', os: 'undefined', setTimeout: 'undefined' });
  });

  it('reports a thrown error with its message, and refuses to let the script change its inputs', async () => {
    await expect(run('throw new TypeError("bad input")').result).rejects.toThrow('script failed: TypeError: bad input');
    await expect(run('"use strict"; inputs.name = "x"; 1', {}, { inputs: { name: 'Ada' }, outputs: {} }).result).rejects.toThrow(/read-only|not writable|TypeError/);
  });

  it('fails outputs beyond 1 MiB with a clear error', async () => {
    await expect(run('({ big: "x".repeat(2 * 1024 * 1024) })').result).rejects.toThrow(/script outputs are \d+ bytes of JSON, over the limit of 1048576 bytes/);
  });

  it('stops at once when the attempt is killed', async () => {
    const { result, abort } = run('while (true) {}', { timeout: 'PT60S' });
    setTimeout(() => abort(), 100);
    await expect(result).rejects.toThrow('task run killed');
  });

  it('rejects a missing script and bad limits before starting anything', async () => {
    await expect(run('').result).rejects.toThrow('script is required');
    await expect(run('1', { memoryLimitMb: 100000 }).result).rejects.toThrow('memoryLimitMb must be a number between 1 and 512 (CHRONICLE_SCRIPT_MAX_MEMORY_MB)');
  });
});
