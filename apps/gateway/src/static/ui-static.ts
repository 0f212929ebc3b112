import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from '@chronicle/runtime';

/** Paths that belong to the API: never answered with the UI. */
const API_PATHS = /^\/(graphql|api|healthz|readyz|metrics)(\/|$)/;
/**
 * A request for a file (has an extension) that is not there is a 404, not the UI. An extension
 * starts with a letter: a page path ending in an id such as `<parent>.0.subflow.1` (a Subflow's
 * child execution) is a page.
 */
const FILE_PATH = /\.[A-Za-z][A-Za-z0-9]*$/;

/** apps/ui/dist, from apps/gateway/src/static or apps/gateway/dist/static alike; CHRONICLE_UI_DIR overrides. */
export const defaultUiDir = (): string => process.env.CHRONICLE_UI_DIR ?? fileURLToPath(new URL('../../../ui/dist', import.meta.url));

interface Req { method: string; path: string; accepts(type: string): string | false }
interface Res { setHeader(name: string, value: string): void; sendFile(path: string): void }

/**
 * Serves the live monitor (the built apps/ui) at `/`: its hashed assets with a long cache, and
 * index.html for any other page path (client-side routes), API paths excluded. Without a build
 * the API still runs; a warning says how to get the UI.
 */
export function serveUi(app: NestExpressApplication, logger: Logger, dir = defaultUiDir()): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dir }, 'web UI not built (npm run build builds it): serving the API only');
    return;
  }
  app.useStaticAssets(dir, {
    index: false,
    setHeaders: (res, path) => res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  app.use((req: Req, res: Res, next: () => void) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path) || FILE_PATH.test(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
