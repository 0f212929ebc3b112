import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What can stand between a new user and a running Chronicle, through the real entry points
 * (`npm start` runs scripts/start.mjs): each case is one line on stderr saying what happened and what
 * to do, with a non-zero exit, never a stack trace.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

async function start(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<{ code: number; stderr: string; stdout: string }> {
  const { DATABASE_URL: _d, KAFKA_BROKERS: _k, CHRONICLE_TOKENS: _t, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd, env: { ...inherited, ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const oneLine = (stderr: string) => stderr.trim().split('\n');

describe('the first start, when something is in the way', () => {
  const dirs: string[] = [];
  let busy: Server;
  let busyPort = 0;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => {
    busy.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
  const tempDir = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `chronicle-${name}-`));
    dirs.push(dir);
    return dir;
  };

  it('a port in use: names the port and PORT', async () => {
    const r = await start(['scripts/start.mjs', '--no-build'], { PORT: String(busyPort), CHRONICLE_DATA_DIR: tempDir('port') });
    expect(r.code).toBe(1);
    // (--no-build: a line before it says so when this checkout has unbuilt edits.)
    expect(oneLine(r.stderr).at(-1)).toBe(`chronicle: port ${busyPort} is in use (on 127.0.0.1): set PORT=<another port> (PORT=0 picks a free one), or stop what listens there.`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a port in use, distributed: named before any server starts', async () => {
    const r = await start(['--import', 'tsx', '--conditions=@chronicle/source', 'scripts/distributed.ts', '--port', String(busyPort)], { CHRONICLE_DATA_DIR: tempDir('port-distributed') });
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toEqual([`chronicle: port ${busyPort} is in use: pass --port <another port> (or set PORT), or stop what listens there.`]);
    expect(r.stdout).not.toMatch(/postgres:|kafka:/);
  });

  it('a data folder from an older version (another Postgres major): what to do, before anything starts', async () => {
    const data = tempDir('old-data');
    mkdirSync(join(data, 'postgres', 'pgdata'), { recursive: true });
    writeFileSync(join(data, 'postgres', 'pgdata', 'PG_VERSION'), '16\n');
    const r = await start(['apps/standalone/dist/main.js'], { PORT: '0', CHRONICLE_DATA_DIR: data });
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^chronicle: ${data} holds a Postgres 16 database from an older Chronicle, and this one embeds Postgres \\d+, which cannot open it: .*events export`));
  });

  describe('a half-built tree (a copy of the launcher with an interrupted build)', () => {
    let tree = '';
    beforeAll(() => {
      tree = tempDir('half-built');
      cpSync(join(ROOT, 'scripts', 'start.mjs'), join(tree, 'scripts', 'start.mjs'));
      cpSync(join(ROOT, 'scripts', 'build.mjs'), join(tree, 'scripts', 'build.mjs'));
      for (const file of ['tsconfig.build.json', 'package-lock.json']) copyFileSync(join(ROOT, file), join(tree, file));
      symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
    });

    it('dist missing: says it is not built and what to run', async () => {
      const r = await start(['scripts/start.mjs', 'gateway', '--no-build'], { PORT: '0' }, tree);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toEqual([
        'chronicle: the build is older than the sources (typescript, ui), or was interrupted: run `npm run build` to run what you see.',
        'chronicle: apps/gateway/dist/main.js is missing (Chronicle is not built, or a build was interrupted): run `npm run build`.',
      ]);
    });

    it('a module missing from dist: says the build is incomplete', async () => {
      mkdirSync(join(tree, 'apps', 'scheduler', 'dist'), { recursive: true });
      writeFileSync(join(tree, 'apps', 'scheduler', 'dist', 'main.js'), "import '../../../libs/domain/dist/index.js';\n");
      const r = await start(['scripts/start.mjs', 'scheduler', '--no-build'], {}, tree);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr).at(-1)).toBe('chronicle: the build is incomplete (libs/domain/dist/index.js is missing): run `npm run build -- --force`.');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
