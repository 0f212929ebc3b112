import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningStandalone } from '@chronicle/standalone';
import { eventually, GatewayClient } from '@chronicle/testing';
import { launchChromium, screenshot } from './chromium.js';
import { openPage, startChronicle } from './ui-harness.js';

const ADMIN = 'e2e-ui-model-admin-token-0123456789';
const NS = 'ui.model';
const LIVE = 60_000;

const FIXABLE = `id: fixable
namespace: ${NS}
savepointRetention: ALL
tasks:
  - { id: first, type: io.kestra.plugin.core.output.OutputValues, values: { v: one } }
  - id: check
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ labels.fixed == 'no' }}"
    errorMessage: not fixed yet
  - { id: last, type: io.kestra.plugin.core.output.OutputValues, values: { v: two } }
`;
const WRAPPERS = [
  `id: audit\nnamespace: ${NS}\ntasks:\n  - { id: note, type: io.kestra.plugin.core.output.OutputValues, values: { v: "{{ wrapped.flowId }}" } }\n  - { id: run, type: io.chronicle.wrapper.RunWrapped }\n`,
  `id: timebox\nnamespace: ${NS}\ntasks:\n  - { id: run, type: io.chronicle.wrapper.RunWrapped, timeout: PT1M }\n`,
  `id: invoice\nnamespace: ${NS}\nwrappers:\n  - { namespace: ${NS}, flowId: audit }\n  - { namespace: ${NS}, flowId: timebox }\ntasks:\n  - { id: bill, type: io.kestra.plugin.core.output.OutputValues, values: { v: billed } }\n`,
];

// Savepoints and rewind, and wrapper nesting (issue 15) in the live monitor: Debian's chromium
// against Chronicle started in this process (standalone mode, real Postgres).
describe('execution model in the live monitor: rewind from the history, wrapper nesting', () => {
  let chronicle: RunningStandalone;
  let api: GatewayClient;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let missingBrowser: Error | undefined;

  const stateIs = (state: string) => page.locator(`[data-testid="execution-state"] [data-state="${state}"]`).waitFor({ timeout: LIVE });
  const deploy = async (source: string) => expect((await api.graphql('mutation($s: String!) { deployFlow(source: $s) { id } }', { s: source })).errors).toBeUndefined();

  beforeAll(async () => {
    browser = await launchChromium().catch((error: Error) => ((missingBrowser = error), undefined as unknown as Browser));
    if (missingBrowser) return;
    chronicle = await startChronicle('e2e_ui_model', `ADMIN=${ADMIN}`);
    api = new GatewayClient(chronicle.url, ADMIN);
    ({ page, errors } = await openPage(browser, { width: 1280, height: 800 }, { url: chronicle.url, token: ADMIN }));
  });
  beforeEach(() => {
    if (missingBrowser) throw missingBrowser;
  });
  afterAll(async () => {
    await browser?.close();
    await chronicle?.close();
  });

  it('offers "rewind to here" on the history slider; the failed execution runs on from there to SUCCESS', async () => {
    await deploy(FIXABLE);
    const id = (await api.data<{ createExecution: { id: string } }>(`mutation { createExecution(namespace: "${NS}", flowId: "fixable", labels: { fixed: "no" }) { id } }`)).createExecution.id;
    const savepoints = await eventually('failed with its savepoints', async () => {
      const { execution } = await api.data(`query($id: ID!) { execution(id: $id) { state savepoints { revision taskId } } }`, { id });
      return execution.state === 'FAILED' && execution.savepoints.length === 2 ? execution.savepoints as { revision: number; taskId: string }[] : undefined;
    }, LIVE);
    await api.data(`mutation($id: ID!) { updateExecution(id: $id, labels: { fixed: "yes" }) { id } }`, { id });

    await page.goto(`${chronicle.url}/executions/${id}`);
    await stateIs('FAILED');
    await page.getByRole('tab', { name: 'History' }).click();
    const before = savepoints.find((s) => s.taskId === 'check')!;
    // The event the savepoint before `check` sits on: the slider's point there offers the rewind.
    await page.getByRole('button', { name: new RegExp(`^${before.revision}\\. `) }).click();
    const control = page.getByTestId('rewind-control');
    await expect.poll(async () => control.getAttribute('data-savepoint'), { timeout: 10_000 }).toBe(String(before.revision));
    await control.getByText(`before check`).waitFor();
    await page.getByTestId('time-travel-slider').scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, -120);
    await screenshot(page, 'execution-rewind');
    await control.getByRole('button', { name: 'Rewind to here' }).click();
    await page.getByLabel('Reason (kept in the history)').fill('label fixed');
    await page.getByRole('button', { name: 'Rewind', exact: true }).click();
    await stateIs('SUCCESS');
    const { execution } = await api.data(`query($id: ID!) { execution(id: $id) { rewinds { reason } taskRuns { taskId attempts { number state } } } }`, { id });
    expect(execution.rewinds).toEqual([{ reason: 'label fixed' }]);
    expect(execution.taskRuns.find((t: { taskId: string }) => t.taskId === 'check').attempts).toEqual([{ number: 1, state: 'FAILED' }, { number: 2, state: 'SUCCESS' }]);
  });

  it('shows the wrapper nesting on the execution page, and the wrapped execution links back to its wrapper', async () => {
    for (const source of WRAPPERS) await deploy(source);
    const outer = (await api.data<{ createExecution: { id: string } }>(`mutation { createExecution(namespace: "${NS}", flowId: "invoice") { id } }`)).createExecution.id;
    await page.goto(`${chronicle.url}/executions/${outer}`);
    await stateIs('SUCCESS');
    const nesting = page.getByTestId('wrapper-nesting');
    await nesting.getByText(`${NS}.audit`).waitFor({ timeout: LIVE });
    await nesting.getByText(`${NS}.timebox`).waitFor();
    expect(await nesting.getByTestId('wrapped-flow').textContent()).toBe(`${NS}.invoice`);
    await screenshot(page, 'execution-wrappers');

    const inner = await eventually('the wrapped execution', async () => {
      const { execution } = await api.data(`query($id: ID!) { execution(id: $id) { descendants { id flowId } } }`, { id: outer });
      return execution.descendants.find((d: { flowId: string }) => d.flowId === 'invoice')?.id as string | undefined;
    }, LIVE);
    await page.goto(`${chronicle.url}/executions/${inner}`);
    // A child's id ends in `.subflow.<n>`: a page path, not a file.
    await page.getByTestId('wrapper-nesting').getByText(`Run by wrapper`).waitFor({ timeout: LIVE });
    expect(errors.filter((e) => !e.includes('HTTP 4'))).toEqual([]);
  });
});
