import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

// src/e2e/ and dist/e2e/ are both four levels below the repository root.
const root = fileURLToPath(new URL('../../../..', import.meta.url));

/** Where `startService` runs the apps from: their build output (`npm run build` first). */
export const chronicleRepoRoot = root;

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when the process printed a line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts one Chronicle service from its build output (npm test builds first) as its own OS process. */
export function startService(app: 'gateway' | 'scheduler' | 'executor' | 'projection' | 'standalone', name: string, env: NodeJS.ProcessEnv): ServiceProcess {
  const child = spawn(process.execPath, [join(root, 'apps', app, 'dist', 'main.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 500_000) out = out.slice(-250_000);
    for (const w of [...waiters]) if (w.pattern.test(out)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 180_000) {
      if (pattern.test(out)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${out.slice(-3000)}`)), timeoutMs);
        child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before printing ${pattern}:\n${out.slice(-3000)}`)));
        waiters.push({ pattern, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
