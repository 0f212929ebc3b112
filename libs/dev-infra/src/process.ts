import { setTimeout as sleep } from 'node:timers/promises';

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends the signal, waits for the process to exit, and escalates to SIGKILL after `graceMs`. */
export async function stopProcess(pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (!isProcessAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isProcessAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    while (isProcessAlive(pid)) await sleep(20);
  }
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Returns a reason to give up early (e.g. the server process died), or undefined. */
  readonly abortIf?: () => string | undefined;
}

/** Waits for a readiness probe of a process we started (not a substitute for a push). */
export async function waitUntil(what: string, probe: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await probe()) return;
    const reason = options.abortIf?.();
    if (reason) throw new Error(`${what} did not start: ${reason}`);
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${options.timeoutMs} ms`);
    await sleep(options.intervalMs ?? 50);
  }
}
