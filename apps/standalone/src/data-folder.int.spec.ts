import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDataFolder, DATA_FORMAT, DataFolderError } from './data-folder.js';

describe('checkDataFolder (CHRONICLE_DATA_DIR)', () => {
  const dirs: string[] = [];
  const folder = (pgVersion?: string, marker?: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'chronicle-data-folder-'));
    dirs.push(dir);
    if (pgVersion) {
      mkdirSync(join(dir, 'postgres', 'pgdata'), { recursive: true });
      writeFileSync(join(dir, 'postgres', 'pgdata', 'PG_VERSION'), `${pgVersion}\n`);
    }
    if (marker !== undefined) writeFileSync(join(dir, 'chronicle-data.json'), marker);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('marks a new folder, and accepts a folder of this version, marked or not (before markers existed)', () => {
    const fresh = folder();
    checkDataFolder(fresh, 18);
    expect(JSON.parse(readFileSync(join(fresh, 'chronicle-data.json'), 'utf8'))).toEqual({ format: DATA_FORMAT });
    expect(() => checkDataFolder(folder('18'), 18)).not.toThrow();
    expect(() => checkDataFolder(folder('18', '{"format":1}'), 18)).not.toThrow();
  });

  it('refuses a database of another Postgres major, saying how to keep its executions', () => {
    const old = folder('16');
    expect(() => checkDataFolder(old, 18)).toThrow(DataFolderError);
    expect(() => checkDataFolder(old, 18)).toThrow(`${old} holds a Postgres 16 database from an older Chronicle, and this one embeds Postgres 18`);
    expect(() => checkDataFolder(old, 18)).toThrow(/events export --all > log\.ndjson.*events import < log\.ndjson.*CHRONICLE_DATA_DIR/);
  });

  it('refuses a folder written by a newer Chronicle, and a marker it cannot read', () => {
    expect(() => checkDataFolder(folder('18', `{"format":${DATA_FORMAT + 1}}`), 18)).toThrow(/written by a newer Chronicle \(data format 2; this one reads format 1\)/);
    expect(() => checkDataFolder(folder(undefined, 'garbage'), 18)).toThrow(/chronicle-data.json is not a Chronicle data marker/);
  });
});
