import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodedError } from '@chronicle/errors';

/**
 * The layout of a standalone data folder (CHRONICLE_DATA_DIR), versioned by `chronicle-data.json`.
 * Its contents evolve on their own (read-model migrations, event upcasters); what they cannot
 * bridge is checked here before anything starts, and said in one line with what to do:
 * a folder written by a newer Chronicle, and a database of another Postgres major version.
 */
export const DATA_FORMAT = 1;
const MARKER = 'chronicle-data.json';

/** CHRONICLE_DATA_DIR holds data this build cannot use: a configuration error, reported at start. */
export class DataFolderError extends CodedError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

export function checkDataFolder(dataDir: string, postgresMajor: number): void {
  const marker = join(dataDir, MARKER);
  if (existsSync(marker)) {
    const format = readFormat(marker);
    if (format > DATA_FORMAT) {
      throw new DataFolderError(`${dataDir} was written by a newer Chronicle (data format ${format}; this one reads format ${DATA_FORMAT}): run that version, or set CHRONICLE_DATA_DIR to another folder`);
    }
  }
  const versionFile = join(dataDir, 'postgres', 'pgdata', 'PG_VERSION');
  const made = existsSync(versionFile) ? Number(readFileSync(versionFile, 'utf8').trim()) : undefined;
  if (made !== undefined && made !== postgresMajor) {
    throw new DataFolderError(
      `${dataDir} holds a Postgres ${made} database from ${made < postgresMajor ? 'an older' : 'a newer'} Chronicle, and this one embeds Postgres ${postgresMajor}, which cannot open it: ` +
        `to keep its executions, run that version and \`npx chronicle events export --all > log.ndjson\`, then \`npx chronicle events import < log.ndjson\` into this one; ` +
        `or move the folder away (or set CHRONICLE_DATA_DIR) to start empty`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(marker)) writeFileSync(marker, JSON.stringify({ format: DATA_FORMAT }) + '\n');
}

function readFormat(marker: string): number {
  try {
    const format = (JSON.parse(readFileSync(marker, 'utf8')) as { format?: unknown }).format;
    if (typeof format === 'number' && Number.isInteger(format) && format > 0) return format;
  } catch {
    // fall through: an unreadable marker is named below
  }
  throw new DataFolderError(`${marker} is not a Chronicle data marker ({"format": n}): restore it, or set CHRONICLE_DATA_DIR to another folder`);
}
