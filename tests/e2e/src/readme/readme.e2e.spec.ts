import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@chronicle/dev-infra';
import { createTestDatabase, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { readmeBlocks, type ReadmeBlock } from './readme-blocks.js';

/**
 * Every shell block of README.md runs, so a stale line fails here. Each block that starts Chronicle
 * (`npm start`, `npm run start:distributed`) starts it for real, from the repository, in a fresh
 * working folder under tmp/ (its `.chronicle` data folder, and `flows` linking to the repository's);
 * then every other block runs against that instance, in README order, each in a fresh bash.
 * What differs from a reader's terminal: a free port instead of 8080 (the blocks' `8080` is replaced,
 * and PORT and CHRONICLE_URL name it), and distributed mode uses the test's Postgres and Kafka.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PREAMBLE = fileURLToPath(new URL('./readme-shell.sh', import.meta.url));
const blocks = readmeBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const servers = blocks.filter((b) => !b.skipReason && b.startsServer);
const clients = blocks.filter((b) => !b.skipReason && !b.startsServer);
const run = promisify(execFile);
const firstLine = (b: ReadmeBlock) => b.code.split('\n').find((l) => l.trim() && !l.startsWith('#'))!.replace(/\s+#.*/, '');

describe('README.md', () => {
  it('starts Chronicle in both modes, and marks only a few blocks illustrative, each with its reason', () => {
    expect(servers.map(firstLine).join('\n')).toMatch(/^npm start$/m);
    expect(servers.map(firstLine).join('\n')).toMatch(/^npm run start:distributed/m);
    const skipped = blocks.filter((b) => b.skipReason);
    expect(skipped.length, skipped.map((b) => `line ${b.line}: ${b.skipReason}`).join('\n')).toBeLessThanOrEqual(3);
    expect(clients.length).toBeGreaterThanOrEqual(3);
  });
});

for (const server of servers) {
  describe(`README.md against \`${firstLine(server)}\` (line ${server.line})`, () => {
    const work = join(ROOT, 'tmp', 'readme-test', `${server.line}-${process.pid}`);
    let port = 0;
    let db: TestDatabase | undefined;
    let env: NodeJS.ProcessEnv = {};

    beforeAll(async () => {
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      symlinkSync(join(ROOT, 'flows'), join(work, 'flows'));
      port = await freePort();
      if (/start:distributed/.test(server.code)) db = await createTestDatabase('readme');
      const { DATABASE_URL: _d, KAFKA_BROKERS: _k, EVENTSTORE_URL: _e, CHRONICLE_TOKENS: _t, CHRONICLE_TOKEN: _c, ...inherited } = process.env;
      env = {
        ...inherited,
        PORT: String(port),
        CHRONICLE_URL: `http://127.0.0.1:${port}`,
        CHRONICLE_DATA_DIR: join(work, '.chronicle'),
        CHRONICLE_LOG_LEVEL: 'warn',
        README_TEST_DIR: work,
        README_TEST_DATABASE_URL: db?.url ?? '',
        README_TEST_KAFKA_BROKERS: db ? testKafkaBrokers().join(',') : '',
        README_TEST_TOPIC_PREFIX: uniqueTopicPrefix('readme'),
      };
      await runBlock(server);
    }, 620_000);

    afterAll(async () => {
      await stopServer(work);
      await db?.drop();
      rmSync(work, { recursive: true, force: true });
    }, 120_000);

    if (firstLine(server) === 'npm start') {
      it('offers the example flows on a first run (an empty data folder)', () => {
        const log = readFileSync(join(work, 'server.log'), 'utf8');
        expect(log).toMatch(/No flow deployed yet: `CHRONICLE_URL=\S+ CHRONICLE_DATA_DIR=\S+ npx chronicle flows deploy \.\/flows` deploys the examples/);
      });
    }

    for (const block of clients) {
      it(`${block.section} (README line ${block.line})`, async () => {
        await runBlock(block);
      }, 620_000);
    }

    async function runBlock(block: ReadmeBlock): Promise<void> {
      const script = join(work, `block-${block.line}.sh`);
      writeFileSync(script, `source ${JSON.stringify(PREAMBLE)}\n${block.code.replace(/\b8080\b/g, String(port))}`);
      try {
        // Generous: a block of twenty CLI calls takes minutes when CI loads every core; a hang still ends.
        await run('bash', [script], { cwd: work, env, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
      } catch (error) {
        const e = error as { code?: number; signal?: string; stdout?: string; stderr?: string };
        throw new Error(`README line ${block.line} (${block.section}) failed (exit ${e.code ?? e.signal}):\n${block.code}\n--- stdout\n${tail(e.stdout)}\n--- stderr\n${tail(e.stderr)}`);
      }
    }
  });
}

const tail = (text = '') => text.split('\n').filter((l) => !l.startsWith('{"level"')).slice(-40).join('\n');

/** SIGINT to the server's process group (npm, Chronicle, and distributed mode's services), as Ctrl-C does. */
async function stopServer(work: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(work, 'server.pid'), 'utf8'));
  } catch {
    return;
  }
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(-pid, 'SIGINT');
  for (let i = 0; i < 600 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(-pid, 'SIGKILL');
}
