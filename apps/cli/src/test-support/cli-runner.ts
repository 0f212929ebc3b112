import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The launcher `npx chronicle` runs: it needs the compiled CLI (`npm run build`). */
export const CHRONICLE_BIN = fileURLToPath(new URL('../../bin/chronicle.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunner {
  (args: readonly string[], options?: { stdin?: string; env?: Record<string, string | undefined> }): Promise<CliResult>;
  /** Runs it, fails unless it exits 0, and parses its `--json` output. */
  json<T = any>(args: readonly string[]): Promise<T>;
  /** Started in the background: its output so far, and how it ended. */
  spawn(args: readonly string[]): { output: () => string; exited: Promise<CliResult> };
}

/** The compiled CLI as a child process, configured like a user would: CHRONICLE_URL and CHRONICLE_TOKEN. */
export function cliAgainst(url: string, token: string): CliRunner {
  const start = (args: readonly string[], options: { stdin?: string; env?: Record<string, string | undefined> } = {}) => {
    const child = spawn(process.execPath, [CHRONICLE_BIN, ...args], {
      env: { ...process.env, CHRONICLE_URL: url, CHRONICLE_TOKEN: token, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.stdin.end(options.stdin ?? '');
    const exited = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
    return { output: () => stdout, exited };
  };
  const run = ((args, options) => start(args, options).exited) as CliRunner;
  run.json = async (args) => {
    const result = await run(['--json', ...args]);
    if (result.code !== 0) throw new Error(`chronicle ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  };
  run.spawn = (args) => start(args);
  return run;
}
