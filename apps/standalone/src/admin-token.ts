import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Standalone mode with no CHRONICLE_TOKENS: one ADMIN token, generated once and kept in
 * the data dir (mode 0600) so it survives restarts.
 */
export function standaloneAdminToken(dataDir: string): { spec: string; token: string; path: string; created: boolean } {
  const path = join(dataDir, 'admin-token');
  mkdirSync(dataDir, { recursive: true });
  const created = !existsSync(path);
  if (created) writeFileSync(path, randomBytes(24).toString('base64url') + '\n', { mode: 0o600 });
  const token = readFileSync(path, 'utf8').trim();
  return { spec: `ADMIN=${token}`, token, path, created };
}
