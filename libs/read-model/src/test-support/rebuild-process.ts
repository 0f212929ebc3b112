import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./rebuild-child.ts', import.meta.url));

/** The rebuild in a process of its own (see rebuild-child.ts): `node --import tsx` runs the TypeScript sources. */
export function rebuildProcess(url: string, batchSize: number, readDelayMs: number): { child: ChildProcess; exited: Promise<number | null>; output: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@chronicle/source', CHILD, url, String(batchSize), String(readDelayMs)], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output };
}
