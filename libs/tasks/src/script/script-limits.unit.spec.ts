import { defaultScriptSettings } from '@chronicle/runtime';
import { describe, expect, it } from 'vitest';
import { scriptTask } from './script.task.js';
import { taskContext } from '../test-support/task-test-context.js';

const MiB = 1024 * 1024;

const run = (script: string, extra: Record<string, unknown> = {}, settings: Partial<ReturnType<typeof defaultScriptSettings>> = {}) => {
  const t = taskContext('Script', { script, ...extra } as never);
  return { ...t, result: scriptTask({ ...t.context, scriptSettings: { ...defaultScriptSettings(), ...settings } }) };
};

/** The process's peak resident memory while `work` runs, above what it was before (the sandbox thread is in this process). */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<{ growthMiB: number; outcome: unknown }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const outcome = await work().then(
    (value) => ({ value }),
    (error: Error) => ({ error: error.message }),
  );
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { growthMiB: (peak - before) / MiB, outcome };
}

describe('Script bounds (CHRONICLE_SCRIPT_*)', () => {
  // QuickJS in WebAssembly cannot count what it allocates: the limit must hold for the process's real memory.
  it.each([
    ['typed arrays', 'const a = []; while (true) a.push(new Uint8Array(1000000));'],
    ['strings', 'const a = []; while (true) a.push("x".repeat(100000) + a.length);'],
    ['arrays of numbers', 'const a = []; while (true) a.push(new Array(100000).fill(1.5));'],
    ['small objects', 'const a = []; while (true) a.push({ i: a.length, s: "v" + a.length });'],
  ])('stops %s at the memory limit, measured as the process RSS', async (_name, script) => {
    const { growthMiB, outcome } = await peakRssGrowth(() => run(script, { memoryLimitMb: 32, timeout: 'PT60S' }).result);
    expect(outcome).toEqual({ error: expect.stringContaining('script exceeded its memory limit of 32 MiB') });
    expect((outcome as { error: string }).error).toContain('CHRONICLE_SCRIPT_MAX_MEMORY_MB');
    // 32 MiB for the script, its fixed WebAssembly part and a thread's own heap; unbounded it grew to gigabytes.
    expect(growthMiB).toBeLessThan(160);
  });

  it('fails a script that logs more bytes than the limit, keeping only what came before it', async () => {
    const { result, logs } = run('const line = "x".repeat(1023); for (;;) log(line);', { timeout: 'PT60S' });
    await expect(result).rejects.toThrow(`script wrote more than ${MiB} bytes of logs (CHRONICLE_SCRIPT_MAX_LOG_BYTES)`);
    expect(logs.reduce((sum, l) => sum + l.message.length, 0)).toBeLessThanOrEqual(MiB);
  });

  it('fails a script that logs more lines than the limit, and a single huge line', async () => {
    const many = run('for (let i = 0; i < 20000; i++) log(i); 1');
    await expect(many.result).rejects.toThrow('script wrote more than 10000 log lines (CHRONICLE_SCRIPT_MAX_LOG_LINES)');
    expect(many.logs).toHaveLength(10_000);
    const huge = run('log("y".repeat(8 * 1024 * 1024)); 1', { memoryLimitMb: 64 });
    await expect(huge.result).rejects.toThrow('CHRONICLE_SCRIPT_MAX_LOG_BYTES');
    expect(huge.logs).toEqual([]);
  });

  it('fails a script that reports 100k metrics, keeping at most the limit', async () => {
    const { result, metrics } = run('for (let i = 0; i < 100000; i++) counter("c" + i, 1); 1');
    await expect(result).rejects.toThrow('script reported more than 1000 metrics (CHRONICLE_SCRIPT_MAX_METRICS)');
    expect(metrics.length).toBeLessThanOrEqual(1000);
  });

  it('fails a script that names a metric with more than 256 characters', async () => {
    const { result, metrics } = run('counter("ok"); counter("n".repeat(100000)); 1');
    await expect(result).rejects.toThrow('script reported a metric whose name is longer than 256 characters');
    expect(metrics.map((m) => m.name)).toEqual(['ok']);
  });

  it('cuts a single long log line at 64 Ki characters, saying so', async () => {
    const { result, logs } = run('log("w".repeat(100000)); 1');
    await expect(result).resolves.toEqual({ value: 1 });
    expect(logs).toHaveLength(1);
    expect(logs[0]!.message).toMatch(/^w{65536} … \[line truncated: 100000 characters\]$/);
  });

  it('refuses outputs over the byte limit, counting UTF-8 bytes rather than characters', async () => {
    await expect(run('({ big: "x".repeat(4 * 1024 * 1024) })', { memoryLimitMb: 128 }).result).rejects.toThrow(
      /script outputs are \d+ bytes of JSON, over the limit of 1048576 bytes \(CHRONICLE_SCRIPT_MAX_OUTPUT_BYTES\)/,
    );
    // 600,000 characters, 1.2 MB.
    await expect(run('({ text: "é".repeat(600000) })').result).rejects.toThrow('CHRONICLE_SCRIPT_MAX_OUTPUT_BYTES');
  });

  it('takes every bound from the configuration', async () => {
    const settings = { defaultMemoryMb: 8, maxLogLines: 2, maxMetrics: 1, maxOutputBytes: 20, defaultTimeoutMs: 200, maxMemoryMb: 8, maxTimeoutMs: 1000 };
    await expect(run('log(1); log(2); log(3); 1', {}, settings).result).rejects.toThrow('more than 2 log lines');
    await expect(run('counter("a"); counter("b"); 1', {}, settings).result).rejects.toThrow('more than 1 metrics');
    await expect(run('({ s: "0123456789012345678901" })', {}, settings).result).rejects.toThrow('over the limit of 20 bytes');
    await expect(run('while (true) {}', {}, settings).result).rejects.toThrow('script exceeded its time limit of 200 ms');
    await expect(run('1', { memoryLimitMb: 9 }, settings).result).rejects.toThrow('memoryLimitMb must be a number between 1 and 8 (CHRONICLE_SCRIPT_MAX_MEMORY_MB)');
    await expect(run('1', { timeout: 'PT2S' }, settings).result).rejects.toThrow('timeout must be at most 1000 ms (CHRONICLE_SCRIPT_MAX_TIMEOUT_MS)');
  });
});
