import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GlobalOptions {
  readonly url?: string;
  readonly token?: string;
  readonly json?: boolean;
}

export interface Settings {
  readonly url: string;
  readonly token?: string;
  readonly json: boolean;
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/**
 * Flags first, then CHRONICLE_URL / CHRONICLE_TOKEN. Without a token, the one a local Chronicle
 * generated (`$CHRONICLE_DATA_DIR/admin-token`, `./.chronicle/admin-token`) is used: `npm start` and
 * `npm run start:distributed` both keep it there.
 */
export function resolveSettings(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Settings {
  const url = (options.url ?? env.CHRONICLE_URL ?? DEFAULT_URL).replace(/\/+$/, '');
  const token = options.token ?? env.CHRONICLE_TOKEN ?? localAdminToken(env);
  return { url, token: token?.trim() || undefined, json: options.json === true };
}

function localAdminToken(env: NodeJS.ProcessEnv): string | undefined {
  const file = join(env.CHRONICLE_DATA_DIR ?? '.chronicle', 'admin-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** `k=v` pairs (repeatable flags) into an object; values that read as JSON (numbers, booleans...) are typed. */
export function keyValues(pairs: readonly string[] | undefined, typed: boolean): Record<string, unknown> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected key=value, got "${pair}"`);
    const value = pair.slice(eq + 1);
    out[pair.slice(0, eq)] = typed ? parseValue(value) : value;
  }
  return out;
}

function parseValue(text: string): unknown {
  if (/^(-?\d+(\.\d+)?|true|false|null)$/.test(text) || /^[[{"]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** commander's collector for repeatable options. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
