import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningStandalone } from '@chronicle/standalone';
import { eventually, GatewayClient } from '@chronicle/testing';
import { launchChromium, screenshot } from './chromium.js';
import { openPage, startChronicle } from './ui-harness.js';

const ADMIN = 'e2e-ui-options-admin-token-0123456789';
const NS = 'ui.options';
const LIVE = 60_000;

const REPORT = `id: report
namespace: ${NS}
tasks:
  - { id: status, type: io.chronicle.plugin.core.execution.StatusMessage, message: "exported 42 rows" }
  - { id: done, type: Log, message: done }
`;
const LEAF = `id: leaf\nnamespace: ${NS}\ntasks:\n  - { id: hello, type: Log, message: leaf }\n`;
const MIDDLE = `id: middle\nnamespace: ${NS}\ntasks:\n  - { id: status, type: io.chronicle.plugin.core.execution.StatusMessage, message: "calling the leaf" }\n  - { id: leaf, type: Subflow, namespace: ${NS}, flowId: leaf }\n`;
const TOP = `id: top\nnamespace: ${NS}\ntasks:\n  - { id: middle, type: Subflow, namespace: ${NS}, flowId: middle }\n  - { id: again, type: Subflow, namespace: ${NS}, flowId: leaf }\n`;
const GATE = `id: gate\nnamespace: ${NS}\ntasks:\n  - { id: hold, type: Pause }\n`;
const WAITER = `id: waiter
namespace: ${NS}
tasks:
  - id: release
    type: io.chronicle.plugin.core.execution.WaitForExecution
    labels: { release: "r42" }
    states: [RUNNING, SUCCESS]
`;
const PAGE = `id: page
namespace: ${NS}
tasks:
  - { id: render, type: OutputValues, values: { html: "<h1 id=greeting>Report ready</h1><p>Rendered by the flow page.</p>" } }
outputs:
  - { id: webhookResponse, type: JSON, value: '{"status": 200, "html": {{ outputs.render.values.html | json }}, "headers": {"X-Flow": "page"}}' }
triggers:
  - { id: hook, type: io.kestra.plugin.core.trigger.Webhook, key: page-key-0123456789, returnOutputs: true }
`;

interface RunRecord { name: string | null; priority: number | null; maxRuntime: string | null; mode: string; labels: Record<string, string>; message: string | null; startedBy: { kind: string } | null; scheduledAt: string | null; state: string }
const RECORD = 'query($id: ID!) { execution(id: $id) { name priority maxRuntime mode labels message startedBy { kind } scheduledAt state } }';

// Issue 15 in the live monitor: the run form's per-run options ("Run" and "Run in dev mode"),
// the status message and labels (set by a task and steered by an operator), the execution tree,
// a wait for another execution, the REST record's `url`, and a webhook answer shaped by the flow.
// Debian's chromium against Chronicle standalone in this process.
describe('run options, status message and the execution tree in the live monitor', () => {
  let chronicle: RunningStandalone;
  let api: GatewayClient;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let missingBrowser: Error | undefined;
  let productive = '';
  let development = '';

  const stateIs = (state: string) => page.locator(`[data-testid="execution-state"] [data-state="${state}"]`).waitFor({ timeout: LIVE });
  const record = async (id: string) => (await api.data<{ execution: RunRecord }>(RECORD, { id })).execution;
  const executionId = async () => {
    await page.waitForURL(/\/executions\/[^/]+$/);
    return decodeURIComponent(page.url().split('/').pop()!);
  };

  beforeAll(async () => {
    browser = await launchChromium().catch((error: Error) => ((missingBrowser = error), undefined as unknown as Browser));
    if (missingBrowser) return;
    chronicle = await startChronicle('e2e_ui_options', `ADMIN=${ADMIN}`);
    api = new GatewayClient(chronicle.url, ADMIN);
    for (const source of [REPORT, LEAF, MIDDLE, TOP, GATE, WAITER, PAGE]) await api.data('mutation($s: String!) { deployFlow(source: $s) { id } }', { s: source });
    ({ page, errors } = await openPage(browser, { width: 1280, height: 900 }, { url: chronicle.url, token: ADMIN }));
  });
  beforeEach(() => {
    if (missingBrowser) throw missingBrowser;
  });
  afterAll(async () => {
    await browser?.close();
    await chronicle?.close();
  });

  it('starts a run with a name, priority, max runtime and labels from the run form; its page shows them and the status message its task set', async () => {
    await page.goto(`${chronicle.url}/flows/${NS}/report/run`);
    const options = page.getByRole('group', { name: 'Run options' });
    await options.getByLabel('Max runtime').fill('ten minutes');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByText('an ISO-8601 duration above zero').waitFor();
    expect(page.url()).toContain('/run');

    await options.getByLabel('Name').fill('nightly export');
    await options.getByLabel('Priority').fill('7');
    await options.getByLabel('Max runtime').fill('PT10M');
    await page.getByRole('combobox', { name: 'Labels' }).fill('team=ops');
    await page.getByRole('combobox', { name: 'Labels' }).press('Enter');
    await screenshot(page, 'run-form-options');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    productive = await executionId();
    await stateIs('SUCCESS');
    const details = page.getByTestId('run-details');
    await details.getByTestId('run-name').getByText('nightly export').waitFor();
    await details.locator('[data-fact="Priority"]').getByText('Priority: 7').waitFor();
    await details.locator('[data-fact="Max runtime"]').getByText('Max runtime: PT10M').waitFor();
    await details.getByTestId('execution-message').getByText('Status: exported 42 rows').waitFor({ timeout: LIVE });
    expect(await details.getByTestId('run-mode').count()).toBe(0);
    await screenshot(page, 'execution-run-details');
    expect(await record(productive)).toMatchObject({ name: 'nightly export', priority: 7, maxRuntime: 'PT10M', mode: 'PRODUCTIVE', labels: { team: 'ops' }, message: 'exported 42 rows', startedBy: { kind: 'token' } });
  });

  it('"Run in dev mode" starts a DEVELOPMENT run, shown as such and listed only under the Development mode filter', async () => {
    await page.goto(`${chronicle.url}/flows/${NS}/report/run`);
    await page.getByRole('button', { name: 'Run in dev mode' }).click();
    development = await executionId();
    await stateIs('SUCCESS');
    await page.getByTestId('run-mode').getByText('development run').waitFor();
    expect((await record(development)).mode).toBe('DEVELOPMENT');

    await page.goto(`${chronicle.url}/executions?namespace=${NS}&flowId=report&mode=DEVELOPMENT`);
    const devRow = page.locator(`[data-testid="executions-table"] [data-execution="${development}"]`);
    await devRow.getByText('dev', { exact: true }).waitFor({ timeout: LIVE });
    // The read model has the dev run (it was just listed): the default list leaves it out.
    await page.goto(`${chronicle.url}/executions?namespace=${NS}&flowId=report`);
    const row = page.locator(`[data-testid="executions-table"] [data-execution="${productive}"]`);
    await row.getByTestId('status-message').getByText('exported 42 rows').waitFor({ timeout: LIVE });
    expect(await page.locator(`[data-testid="executions-table"] [data-execution="${development}"]`).count()).toBe(0);
    expect(await row.getByTestId('execution-name').textContent()).toBe('nightly export');
  });

  it('steers the status message and priority from the execution page; the list shows the new message', async () => {
    await page.goto(`${chronicle.url}/executions/${productive}`);
    await stateIs('SUCCESS');
    await page.getByRole('button', { name: 'Steer…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Steer this execution' });
    await dialog.getByLabel('Status message').fill('checked by Ada');
    await dialog.getByLabel('Priority').fill('9');
    // The run form's label is there; another one is added (the labels are replaced as a whole).
    const labels = dialog.getByRole('combobox', { name: 'Labels' });
    await labels.fill('reviewed=ada');
    await labels.press('Enter');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('execution-message').getByText('Status: checked by Ada').waitFor({ timeout: LIVE });
    await page.locator('[data-fact="Priority"]').getByText('Priority: 9').waitFor({ timeout: LIVE });
    await eventually('labels steered', async () => {
      const { labels: now } = await record(productive);
      return now.team === 'ops' && now.reviewed === 'ada' ? true : undefined;
    }, LIVE);

    await page.goto(`${chronicle.url}/executions?namespace=${NS}&flowId=report`);
    await page.locator(`[data-execution="${productive}"]`).getByTestId('status-message').getByText('checked by Ada').waitFor({ timeout: LIVE });
    await screenshot(page, 'executions-status-message');
  });

  it('defers a run with "Start at": it waits CREATED with its start time shown, and a kill cancels it', async () => {
    await page.goto(`${chronicle.url}/flows/${NS}/report/run`);
    // An hour from now, in the browser's zone (a datetime-local field has none).
    const later = await page.evaluate(() => {
      const d = new Date(Date.now() + 3_600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    });
    await page.getByRole('group', { name: 'Run options' }).getByLabel('Start at').fill(later);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const id = await executionId();
    await stateIs('CREATED');
    await page.locator('[data-fact="Scheduled at"]').waitFor({ timeout: LIVE });
    const scheduled = await record(id);
    expect(Date.parse(scheduled.scheduledAt!)).toBeGreaterThan(Date.now() + 30 * 60_000);
    await api.data('mutation($id: ID!) { killExecution(id: $id) { id } }', { id });
    await eventually('the deferred run cancelled', async () => ((await record(id)).state === 'CREATED' ? undefined : true), LIVE);
  });

  it('shows the execution tree with every descendant and its state, the shown execution marked', async () => {
    const top = (await api.data<{ createExecution: { id: string } }>(`mutation { createExecution(namespace: "${NS}", flowId: "top") { id } }`)).createExecution.id;
    await page.goto(`${chronicle.url}/executions/${top}`);
    await stateIs('SUCCESS');
    await page.getByRole('tab', { name: 'Tree' }).click();
    const tree = page.getByTestId('execution-tree');
    await tree.getByText('4 executions in this tree', { exact: false }).waitFor({ timeout: LIVE });
    const rows = tree.locator('tr[data-execution]');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-depth'))))).toEqual([0, 1, 2, 1]);
    expect(await rows.locator('[data-state="SUCCESS"]').count()).toBe(4);
    await tree.getByText('calling the leaf').waitFor();
    await screenshot(page, 'execution-tree');

    // From a grandchild, the same tree with the grandchild marked.
    const grandchild = (await rows.nth(2).getAttribute('data-execution'))!;
    await rows.nth(2).getByRole('link').click();
    await page.waitForURL(new RegExp(`/executions/${grandchild.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    await page.getByRole('tab', { name: 'Tree' }).click();
    await page.getByTestId('execution-tree').locator(`tr[data-execution="${grandchild}"][aria-current="true"]`).getByText('(this one)').waitFor({ timeout: LIVE });
  });

  it('runs the editor\'s draft in dev mode: a DEVELOPMENT run of the text as it is, nothing deployed', async () => {
    await page.goto(`${chronicle.url}/flows/${NS}/report`);
    await page.getByRole('tab', { name: 'Source' }).click();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(REPORT.replace('exported 42 rows', 'trying a draft'));
    await screenshot(page, 'flow-editor-dev-run');
    await page.getByRole('button', { name: 'Run draft in dev mode' }).click();
    const id = await executionId();
    await stateIs('SUCCESS');
    await page.getByTestId('run-mode').getByText('development run').waitFor();
    await page.getByTestId('execution-message').getByText('Status: trying a draft').waitFor({ timeout: LIVE });
    const { execution } = await api.data<{ execution: { mode: string; flowRevision: number } }>('query($id: ID!) { execution(id: $id) { mode flowRevision } }', { id });
    expect(execution).toEqual({ mode: 'DEVELOPMENT', flowRevision: 0 });
    const { flow } = await api.data<{ flow: { revision: number; source: string } }>(`{ flow(namespace: "${NS}", id: "report") { revision source } }`);
    expect(flow.revision).toBe(1);
    expect(flow.source).toContain('exported 42 rows');
  });

  it('shows whom a WaitForExecution task waits for (chosen by labels), linked; it ends once that execution runs', async () => {
    const gate = (await api.data<{ createExecution: { id: string } }>(`mutation { createExecution(namespace: "${NS}", flowId: "gate", labels: { release: "r42" }) { id } }`)).createExecution.id;
    // The labels are looked up in the read model: the list shows the gate once it is there.
    await eventually('the gate listed with its labels', async () => {
      const page = await api.data<{ executions: { edges: { node: { id: string; state: string } }[] } }>(`{ executions(namespace: "${NS}", flowId: "gate", labels: { release: "r42" }) { edges { node { id state } } } }`);
      return page.executions.edges.some((e) => e.node.id === gate && e.node.state === 'PAUSED') ? true : undefined;
    }, LIVE);
    const waiter = (await api.data<{ createExecution: { id: string } }>(`mutation { createExecution(namespace: "${NS}", flowId: "waiter") { id } }`)).createExecution.id;
    await page.goto(`${chronicle.url}/executions/${waiter}`);
    const panel = page.getByTestId('execution-wait');
    const link = panel.locator('[data-wait="release"]').getByRole('link');
    await link.waitFor({ timeout: LIVE });
    await panel.getByText('to be RUNNING or SUCCESS').waitFor();
    await screenshot(page, 'execution-wait');
    expect(await link.getAttribute('href')).toBe(`/executions/${encodeURIComponent(gate)}`);

    await api.data('mutation($id: ID!) { resumeExecution(id: $id) { id } }', { id: gate });
    await stateIs('SUCCESS');
    await panel.waitFor({ state: 'detached', timeout: LIVE });
  });

  it('the REST record\'s url opens the execution\'s live page', async () => {
    const res = await fetch(`${chronicle.url}/api/v1/executions/${productive}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const rest = (await res.json()) as { url: string };
    expect(rest.url).toBe(`${chronicle.url}/executions/${productive}`);
    await page.goto(rest.url);
    await stateIs('SUCCESS');
    await page.getByTestId('run-details').getByTestId('run-name').getByText('nightly export').waitFor({ timeout: LIVE });
  });

  it('a webhook called with wait=true answers with the page the flow rendered (webhookResponse)', async () => {
    // Its own tab: the answer is the flow's page, not the live monitor (whose console is watched).
    const tab = await page.context().newPage();
    try {
      const response = await tab.goto(`${chronicle.url}/api/v1/executions/webhook/${NS}/page/page-key-0123456789?wait=true`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['x-flow']).toBe('page');
      expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
      expect(await tab.locator('#greeting').textContent()).toBe('Report ready');
      await screenshot(tab, 'webhook-html-response');
    } finally {
      await tab.close();
    }
  });

  it('wrote no error to the console', () => {
    expect(errors).toEqual([]);
  });
});
