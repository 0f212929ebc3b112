import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, TOKENS, type GatewayHarness } from '../test-support/gateway.harness.js';

let h: GatewayHarness;
let uiDir: string;
beforeAll(async () => {
  // A stand-in UI build, so that the UI's pages and assets are served as in production.
  uiDir = mkdtempSync(join(tmpdir(), 'chronicle-ui-'));
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/app.js"></script></body></html>');
  writeFileSync(join(uiDir, 'assets', 'app.js'), 'console.log("ui")');
  process.env.CHRONICLE_UI_DIR = uiDir;
  h = await startGateway();
});
afterAll(async () => {
  delete process.env.CHRONICLE_UI_DIR;
  await h?.close();
  rmSync(uiDir, { recursive: true, force: true });
});

describe('security headers', () => {
  it('are on everything the gateway serves: UI pages and assets, GraphQL, REST, errors and webhooks', async () => {
    const responses = await Promise.all([
      fetch(`${h.url}/`, { headers: { accept: 'text/html' } }),
      fetch(`${h.url}/executions/some-id`, { headers: { accept: 'text/html' } }),
      fetch(`${h.url}/assets/app.js`),
      fetch(`${h.url}/assets/missing.js`),
      fetch(`${h.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.ADMIN}` }, body: JSON.stringify({ query: '{ __typename }' }) }),
      fetch(`${h.url}/api/v1/flows/none/none`, { headers: { authorization: `Bearer ${TOKENS.ADMIN}` } }),
      fetch(`${h.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' }),
      fetch(`${h.url}/api/v1/executions/webhook/none/none/none`, { method: 'POST' }),
      fetch(`${h.url}/API/v1/Executions/Webhook/none/none/none`, { method: 'POST' }),
      fetch(`${h.url}/healthz`),
    ]);
    expect(responses[0]!.status).toBe(200);
    expect(await responses[0]!.text()).toContain('<div id="root">');
    for (const res of responses) {
      const where = `${res.url} (${res.status})`;
      const csp = res.headers.get('content-security-policy') ?? '';
      if (res.url.toLowerCase().includes('/webhook/')) {
        // A flow shapes webhook answers (HTML too): a sandbox, an opaque origin that runs no script and loads nothing.
        expect(csp, where).toMatch(/^sandbox allow-forms; default-src 'none';/);
        expect(csp, where).not.toMatch(/script-src|allow-scripts|allow-same-origin/);
      } else {
        expect(csp, where).toContain("default-src 'self'");
        expect(csp, where).toContain("script-src 'self'");
      }
      expect(csp, where).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(csp, where).toContain("frame-ancestors 'none'");
      expect(csp, where).toContain("object-src 'none'");
      expect(res.headers.get('x-frame-options'), where).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), where).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), where).toBe('no-referrer');
    }
  });
});
