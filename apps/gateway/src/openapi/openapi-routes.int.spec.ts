import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayHarness } from '../test-support/gateway.harness.js';
import { renderOpenApi } from './openapi.cli.js';

interface RouteLayer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
}

/** The routes the running gateway answers and the document it serves are the same set. */
describe('the served OpenAPI document and the live routes', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGateway();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves openapi.json at /api/v1/openapi.json without a token', async () => {
    const res = await fetch(`${h.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(renderOpenApi()));
  });

  it('documents exactly the routes Express registered', () => {
    const stack = (h.app.getHttpAdapter().getInstance() as { router: { stack: RouteLayer[] } }).router.stack;
    const live = stack.filter((l) => l.route).flatMap((l) => {
      const path = l.route!.path.replace(/(?<!\\):(\w+)/g, '{$1}').replace(/\\:/g, ':');
      // Nest registers @All as every method Express knows; the document says GET, POST and PUT (what webhooks answer).
      const all = Object.keys(l.route!.methods);
      const methods = all.includes('_all') || all.includes('propfind') ? ['get', 'post', 'put'] : all;
      return methods.map((m) => `${m.toUpperCase()} ${path}`);
    });
    const document = JSON.parse(renderOpenApi()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect([...new Set(live)].sort()).toEqual(documented.sort());
  });
});
