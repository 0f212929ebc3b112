import type { Request } from 'express';
import type { MappedError } from './error-mapping.js';

interface RouteLayer {
  readonly route?: { readonly methods: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * The methods other routes answer at this path (empty when no route has the path): a request that
 * matched no route is a 405 when the path exists with other methods, else a 404.
 */
export function allowedMethods(req: Request): string[] {
  const stack = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route || !layer.match(req.path)) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
  }
  return [...methods].sort();
}

/** Micronaut's JSON error (what Kestra answers), with Chronicle's `code` and `reason` beside it. */
export function kestraError(req: Request, mapped: MappedError, detail: string) {
  return { code: mapped.code, reason: mapped.reason, message: mapped.message, _links: { self: { href: req.originalUrl, templated: false } }, _embedded: { errors: [{ message: detail, _links: {} }] } };
}
