import { appendFileSync, copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { chronicleRepoRoot, type ServiceProcess } from '@chronicle/testing';

/**
 * Every service's stdout and stderr, kept whole in one file per service (every incarnation of it,
 * each under a header line) in `tmp/chaos-logs/<run>/`, so that a failed run can be read after the
 * fact (the one CI failure of the distributed run left nothing to read). CHRONICLE_CHAOS_LOG_DIR
 * overrides the folder.
 */
export class ChaosLogs {
  readonly dir: string;
  private readonly files = new Map<string, WriteStream>();
  /** Every service that has a file, in the order they started (kept after close). */
  private readonly names = new Set<string>();

  constructor(mode: string) {
    const run = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mode}-${process.pid}`;
    this.dir = process.env.CHRONICLE_CHAOS_LOG_DIR ? join(process.env.CHRONICLE_CHAOS_LOG_DIR, run) : join(chronicleRepoRoot, 'tmp', 'chaos-logs', run);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Streams this incarnation of `name` into its file, from its first byte. */
  attach(name: string, service: ServiceProcess): void {
    const file = this.fileOf(name);
    file.write(`--- ${new Date().toISOString()} ${name} started, pid ${service.child.pid}\n`);
    const write = (chunk: Buffer) => file.write(chunk);
    service.child.stdout?.on('data', write);
    service.child.stderr?.on('data', write);
    service.child.once('exit', (code, signal) => file.write(`--- ${new Date().toISOString()} ${name} pid ${service.child.pid} exited (${signal ?? `code ${code}`})\n`));
  }

  /** A line of the run's own (the chaos driver's) in `chaos.log`, and in a service's file when named. */
  note(line: string, service?: string): void {
    const stamped = `${new Date().toISOString()} ${line}\n`;
    appendFileSync(join(this.dir, 'chaos.log'), stamped);
    if (service) this.fileOf(service).write(`--- ${stamped}`);
  }

  /** Keeps a server's own log (the broker's) beside the services' before its folder is removed. */
  keepFile(path: string | undefined, as: string): void {
    if (path && existsSync(path)) copyFileSync(path, join(this.dir, as));
  }

  /** Where the logs are, and the last lines of each service's: printed when a check fails. */
  async summary(lines = 25): Promise<string> {
    await this.flush();
    const parts = [`service logs: ${this.dir}`];
    for (const name of this.names) {
      const text = readFileSync(join(this.dir, `${name}.log`), 'utf8').trimEnd().split('\n');
      parts.push(`--- last ${Math.min(lines, text.length)} lines of ${name}.log:`, ...text.slice(-lines).map((l) => `  ${l.slice(0, 400)}`));
    }
    return parts.join('\n');
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => new Promise<void>((resolve) => f.end(resolve))));
    this.files.clear();
  }

  private async flush(): Promise<void> {
    // A write stream's pending writes are done once an empty write's callback runs.
    await Promise.all([...this.files.values()].map((f) => new Promise<void>((resolve) => f.write('', () => resolve()))));
  }

  private fileOf(name: string): WriteStream {
    let file = this.files.get(name);
    if (!file) {
      file = createWriteStream(join(this.dir, `${name}.log`), { flags: 'a' });
      this.files.set(name, file);
      this.names.add(name);
    }
    return file;
  }
}
