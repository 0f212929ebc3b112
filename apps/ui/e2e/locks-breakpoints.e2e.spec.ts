import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningStandalone } from '@chronicle/standalone';
import { GatewayClient } from '@chronicle/testing';
import { launchChromium, screenshot } from './chromium.js';
import { openPage, startChronicle } from './ui-harness.js';

const ADMIN = 'e2e-ui-locks-admin-token-0123456789';
const NS = 'e2e.debug';
const LIVE = 60_000;

const STEPPED_FLOW = `id: stepped
namespace: ${NS}
inputs:
  - { id: who, type: STRING, defaults: world }
tasks:
  - { id: greet, type: OutputValues, values: { greeting: "hello {{ inputs.who }}" } }
  - { id: shout, type: Log, message: "{{ outputs.greet.values.greeting }}!" }
  - { id: cleanup, type: Log, message: cleaning up }
  - { id: report, type: Log, message: done }
`;
const LOCKED_FLOW = `id: nightly-export
namespace: ${NS}
inputs:
  - { id: wait, type: STRING, defaults: PT120S }
locks: [warehouse/orders]
tasks:
  - { id: export, type: Sleep, duration: "{{ inputs.wait }}" }
`;

// Named locks and breakpoints in the live monitor (Debian's chromium, Chronicle standalone in
// this process serving the built UI): the run form's breakpoints, the paused task's rendered
// properties with continue / step / skip, a lock wait with its holder, the Operations page's
// lock table and force release.
describe('named locks and breakpoints in the live monitor, in a real browser', () => {
  let chronicle: RunningStandalone;
  let api: GatewayClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let missingBrowser: Error | undefined;

  const stateIs = (state: string, timeout = LIVE) => page.locator(`[data-testid="execution-state"] [data-state="${state}"]`).waitFor({ timeout });
  const start = async (flowId: string, inputs: Record<string, unknown> = {}) =>
    (await api.data<{ createExecution: { id: string } }>('mutation($ns: String!, $f: String!, $i: JSON) { createExecution(namespace: $ns, flowId: $f, inputs: $i) { id } }', { ns: NS, f: flowId, i: inputs })).createExecution.id;

  beforeAll(async () => {
    browser = await launchChromium().catch((error: Error) => ((missingBrowser = error), undefined as unknown as Browser));
    if (missingBrowser) return;
    chronicle = await startChronicle('e2e_ui_locks', `ADMIN=${ADMIN}`);
    api = new GatewayClient(chronicle.url, ADMIN);
    for (const source of [STEPPED_FLOW, LOCKED_FLOW]) await api.data('mutation($s: String!) { deployFlow(source: $s) { id } }', { s: source });
    ({ context, page, errors } = await openPage(browser, { width: 1280, height: 900 }, { url: chronicle.url, token: ADMIN }));
  });
  beforeEach(() => {
    if (missingBrowser) throw missingBrowser;
  });
  afterAll(async () => {
    await browser?.close();
    await chronicle?.close();
  });

  it('runs with a breakpoint from the run form, shows the paused task\'s rendered properties, then steps, skips and continues', async () => {
    await page.goto(`${chronicle.url}/flows/${NS}/stepped/run`);
    await page.getByRole('combobox', { name: 'Breakpoints' }).click();
    await page.getByRole('option', { name: 'shout' }).click();
    await page.keyboard.press('Escape');
    await screenshot(page, 'run-form-breakpoints');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/\/executions\//);
    await stateIs('PAUSED');
    const panel = page.getByTestId('breakpoint-panel');
    await panel.getByText('Paused before task shout').waitFor();
    expect(await panel.textContent()).toContain('hello world!');
    await screenshot(page, 'execution-breakpoint');

    await panel.getByRole('button', { name: 'Step' }).click();
    await panel.getByText('Paused before task cleanup').waitFor({ timeout: LIVE });
    expect(await panel.textContent()).toContain('Step mode');
    await panel.getByRole('button', { name: 'Skip' }).click();
    await panel.getByText('Paused before task report').waitFor({ timeout: LIVE });
    await panel.getByRole('button', { name: 'Continue' }).click();
    await stateIs('SUCCESS');
    expect(await page.getByTestId('breakpoint-panel').count()).toBe(0);
  });

  it('shows a lock wait with its holder, lists the lock on the Operations page, and force-releases it', async () => {
    const holder = await start('nightly-export');
    await expect.poll(async () => (await api.data<{ namedLocks: unknown[] }>('{ namedLocks { name } }')).namedLocks.length, { timeout: LIVE }).toBe(1);
    const waiter = await start('nightly-export', { wait: 'PT1S' });
    await page.goto(`${chronicle.url}/executions/${waiter}`);
    const wait = page.getByTestId('lock-wait');
    await wait.locator('[data-lock="warehouse/orders"]').getByText('held by').waitFor({ timeout: LIVE });
    expect(await wait.textContent()).toContain(holder.slice(0, 8));
    await screenshot(page, 'execution-lock-wait');

    await page.getByRole('link', { name: 'Operations' }).click();
    const row = page.getByTestId('named-locks').locator('[data-lock="warehouse/orders"]');
    await row.getByText('1.').waitFor({ timeout: LIVE });
    expect(await row.textContent()).toContain(`${NS}.nightly-export`);
    await page.getByRole('heading', { name: 'Named locks' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'operations-locks');
    await row.getByRole('button', { name: 'Force release' }).click();
    await page.getByRole('button', { name: 'Release', exact: true }).click();
    await page.getByText('warehouse/orders released').waitFor();

    await page.goto(`${chronicle.url}/executions/${waiter}`);
    await stateIs('SUCCESS');
    await api.data('mutation($id: ID!) { killExecution(id: $id) { id } }', { id: holder });
  });

  it('wrote no error to the console', () => {
    expect(errors).toEqual([]);
  });
});
