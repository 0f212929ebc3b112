import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningStandalone } from '@chronicle/standalone';
import { launchChromium, screenshot, signIn } from './chromium.js';
import { openPage, startChronicle } from './ui-harness.js';

const ADMIN = 'e2e-ui-first-run-admin-token-01';
const VIEWER = 'e2e-ui-first-run-viewer-token-1';

// A first run: an empty installation's first screen says what to do next and deploys the examples.
describe('first run, in a real browser', () => {
  let chronicle: RunningStandalone;
  let browser: Browser;
  let page: Page;
  let errors: string[];


  beforeAll(async () => {
    browser = await launchChromium();
    chronicle = await startChronicle('e2e_ui_first_run', `ADMIN=${ADMIN},VIEWER=${VIEWER}`);
    ({ page, errors } = await openPage(browser, { width: 1280, height: 800 }));
  });
  afterAll(async () => {
    await browser?.close();
    await chronicle?.close();
  });

  it('knows the installation is empty', () => {
    expect(chronicle.noFlows).toBe(true);
  });

  it('tells a viewer what is missing without offering what it may not do', async () => {
    const viewer = await browser.newPage();
    await signIn(viewer, chronicle.url, VIEWER);
    const panel = viewer.getByTestId('getting-started');
    await panel.getByText('Get started: no flow is deployed yet').waitFor();
    await panel.getByText('npx chronicle flows deploy ./flows').waitFor();
    expect(await viewer.getByRole('button', { name: 'Deploy the example flows' }).count()).toBe(0);
    await viewer.close();
  });

  it('shows the next step on the first screen, and deploys the example flows from it', async () => {
    await signIn(page, chronicle.url, ADMIN);
    const panel = page.getByTestId('getting-started');
    await panel.getByText('Get started: no flow is deployed yet').waitFor();
    await panel.getByText('npx chronicle flows deploy ./flows').waitFor();
    await screenshot(page, 'first-run');
    await page.getByRole('button', { name: 'Deploy the example flows' }).click();
    // The first screen is the dashboard: once flows exist, its empty range says how to run one.
    await panel.waitFor({ state: 'detached' });
    await page.getByTestId('dashboard-empty').getByRole('link', { name: 'Deploy a flow' }).waitFor();
    await page.getByRole('link', { name: 'Flows', exact: true }).first().click();
    for (const flow of ['benchmark01', 'webhook-greeting', 'daily-report', 'approval', 'fan-out']) {
      await page.getByRole('table', { name: 'Flows' }).getByRole('link', { name: flow, exact: true }).waitFor();
    }
    expect(errors).toEqual([]);
  });
});
