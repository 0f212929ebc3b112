import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A local Chronicle with no CHRONICLE_TOKENS (standalone, or `npm run start:distributed`): one ADMIN
 * token, random, generated on the first run and kept in the data folder (mode 0600) so it survives
 * restarts, where the CLI finds it (`$CHRONICLE_DATA_DIR/admin-token`, by default `.chronicle/admin-token`).
 */
export function localAdminToken(dataDir: string): { spec: string; token: string; path: string; created: boolean } {
  const path = join(dataDir, 'admin-token');
  mkdirSync(dataDir, { recursive: true });
  const created = !existsSync(path);
  if (created) writeFileSync(path, randomBytes(24).toString('base64url') + '\n', { mode: 0o600 });
  const token = readFileSync(path, 'utf8').trim();
  return { spec: `ADMIN=${token}`, token, path, created };
}
