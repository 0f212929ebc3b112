import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningStandalone } from '@chronicle/standalone';
import { GatewayClient } from '@chronicle/testing';
import { launchChromium, screenshot, signIn, watchConsole } from './chromium.js';
import { openPage, startChronicle } from './ui-harness.js';
import { BROKEN_FLOW, BROKEN_LINE, DEMO_FLOW, FAILING_FLOW, NAMESPACE, PAUSE_FLOW, SCHEDULE_FLOW, SHAPES_FLOW, SLEEP_FLOW } from './flows.js';

const ADMIN = 'e2e-ui-admin-token-0123456789';
const VIEWER = 'e2e-ui-viewer-token-0123456789';
const LIVE = 60_000;

// The live monitor in Debian's chromium against Chronicle started in this process (standalone
// mode, real Postgres), serving the built UI at `/` as `npm start` does.
describe('live monitor, in a real browser', () => {
  let chronicle: RunningStandalone;
  let api: GatewayClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let demoExecution = '';

  const stateIs = (state: string, timeout = LIVE) => page.locator(`[data-testid="execution-state"] [data-state="${state}"]`).waitFor({ timeout });
  /** Deploys through the API; answers why not when the engine does not know a task type yet. */
  const deployOrWhyNot = async (source: string): Promise<string | undefined> => {
    const r = await api.graphql('mutation($s: String!) { deployFlow(source: $s) { id } }', { s: source });
    return r.errors?.length ? r.errors.map((e) => `${e.message} ${JSON.stringify(e.extensions?.issues ?? '')}`).join('; ') : undefined;
  };
  const startExecution = async (flowId: string, inputs: Record<string, unknown> = {}) =>
    (await api.data<{ createExecution: { id: string } }>('mutation($ns: String!, $f: String!, $i: JSON) { createExecution(namespace: $ns, flowId: $f, inputs: $i) { id } }', { ns: NAMESPACE, f: flowId, i: inputs })).createExecution.id;

  let missingBrowser: Error | undefined;

  beforeAll(async () => {
    // A missing chromium fails every test below with its reason (never a skip).
    browser = await launchChromium().catch((error: Error) => ((missingBrowser = error), undefined as unknown as Browser));
    if (missingBrowser) return;
    chronicle = await startChronicle('e2e_ui', `ADMIN=${ADMIN},VIEWER=${VIEWER}`);
    api = new GatewayClient(chronicle.url, ADMIN);
    ({ context, page, errors } = await openPage(browser, { width: 1280, height: 800 }));
  });
  beforeEach(() => {
    if (missingBrowser) throw missingBrowser;
  });
  afterAll(async () => {
    await browser?.close();
    await chronicle?.close();
  });

  it('signs in with an API token kept for the session only', async () => {
    // Everything below runs under the gateway's Content-Security-Policy: a violation is a console error.
    const response = await page.goto(chronicle.url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Sign in to Chronicle' }).waitFor();
    await screenshot(page, 'sign-in');
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This token is not accepted by Chronicle.').waitFor();
    await page.getByLabel('API token').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('role').textContent()).toBe('Role: ADMIN');
    expect(await page.evaluate(() => [sessionStorage.getItem('chronicle.token'), localStorage.length])).toEqual([ADMIN, 0]);
    // The landing page is the dashboard; with nothing run yet it says what to do.
    expect(page.url()).toBe(`${chronicle.url}/dashboard`);
    await page.getByTestId('dashboard-empty').getByRole('link', { name: 'Deploy a flow' }).waitFor();
    await screenshot(page, 'dashboard-empty');
  });

  it('deploys a flow through the editor, showing a YAML error at its line first', async () => {
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('link', { name: 'New flow' }).click();
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(BROKEN_FLOW);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByTestId('deploy-errors').locator(`[data-line="${BROKEN_LINE}"]`).waitFor();
    expect(await page.getByTestId('deploy-errors').textContent()).toContain('NoSuchTask');
    // The lint marker sits on the line of the error.
    const marked = page.locator('.cm-lintRange-error').first();
    await marked.waitFor();
    expect(await marked.textContent()).toContain('NoSuchTask');
    await screenshot(page, 'flow-editor-error');

    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(DEMO_FLOW);
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.getByRole('heading', { name: `${NAMESPACE}.demo` }).waitFor();
    expect(page.url()).toBe(`${chronicle.url}/flows/${NAMESPACE}/demo`);
    // The toast sits at the bottom, clear of the header and the page's title, and goes by itself.
    const toast = page.getByRole('alert').filter({ hasText: 'Deployed' });
    const box = (await toast.boundingBox())!;
    expect(box.y).toBeGreaterThan(400);
    await toast.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('runs the flow from the generated form and watches it reach SUCCESS without reloading', async () => {
    await page.getByRole('link', { name: 'Run', exact: true }).click();
    await page.locator('[data-input="name"]').waitFor();
    // Required and bounds are checked before anything is sent.
    await page.locator('[data-input="count"]').fill('99');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByText('Required').waitFor();
    await page.getByText('the value must be at most 10').waitFor();
    expect(page.url()).toContain('/run');
    await screenshot(page, 'run-form');

    await page.locator('[data-input="name"]').fill('Ada');
    await page.locator('[data-input="count"]').fill('3');
    await page.locator('[data-input="mode"]').click();
    await page.getByRole('option', { name: 'slow' }).click();
    await page.getByLabel('loud').check({ force: true });
    await page.getByRole('combobox', { name: 'Labels' }).fill('team=ui');
    await page.getByRole('combobox', { name: 'Labels' }).press('Enter');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/\/executions\/[^/]+$/);
    demoExecution = page.url().split('/').pop()!;
    await stateIs('SUCCESS');
    const execution = (await api.data<{ execution: { inputs: Record<string, unknown>; labels: Record<string, string> } }>('query($id: ID!) { execution(id: $id) { inputs labels } }', { id: demoExecution })).execution;
    expect(execution.inputs).toMatchObject({ name: 'Ada', count: 3, mode: 'slow', loud: true });
    expect(execution.labels).toMatchObject({ team: 'ui' });
    // One client-side navigation to the execution, no reload after it.
    expect(navigations.filter((u) => u.includes('/executions/'))).toHaveLength(1);
  });

  it('shows the Gantt with every task run, the task tree with ForEach values, logs and time travel', async () => {
    // The graph is the first tab; the Gantt next to it.
    await page.getByTestId('flow-graph').locator('[data-node="task:hello"][data-state="SUCCESS"]').waitFor();
    await page.getByRole('tab', { name: 'Gantt' }).click();
    const gantt = page.getByTestId('gantt');
    await gantt.waitFor();
    expect(await gantt.locator('[data-task-run="item"] .gantt-bar').count()).toBe(2);
    expect(await gantt.locator('[data-task-run="hello"] .gantt-bar[data-state="SUCCESS"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'execution-gantt');

    await page.getByRole('tab', { name: 'Tasks' }).click();
    await page.getByTestId('task-tree').getByText('value: a').waitFor();
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByTestId('logs').getByText('Hello Ada x3').waitFor({ timeout: LIVE });
    await screenshot(page, 'execution-logs');

    await page.getByRole('tab', { name: 'History' }).click();
    const slider = page.getByRole('slider');
    await slider.waitFor();
    const snapshot = page.getByTestId('time-travel-snapshot');
    await snapshot.waitFor();
    const latest = Number(await snapshot.getAttribute('data-revision'));
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(async () => Number(await snapshot.getAttribute('data-revision')), { timeout: 10_000 }).toBeLessThan(latest);
    const first = Number(await snapshot.getAttribute('data-revision'));
    expect(await snapshot.locator('[data-state]').first().getAttribute('data-state')).not.toBe('SUCCESS');
    // A few events on, the first task run is there, as it was then.
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(async () => Number(await snapshot.getAttribute('data-revision')), { timeout: 10_000 }).toBe(first + 4);
    await snapshot.locator('[data-task-run="hello"]').waitFor();
    await screenshot(page, 'execution-time-travel');
    await page.keyboard.press('End');
    await expect.poll(async () => Number(await snapshot.getAttribute('data-revision')), { timeout: 10_000 }).toBe(latest);

    await page.getByRole('tab', { name: 'Inputs & outputs' }).click();
    await page.getByRole('group', { name: 'Inputs' }).getByText('"Ada"').waitFor();
  });

  it('lists executions with filters and live updates', async () => {
    await page.getByRole('link', { name: 'Executions' }).click();
    await page.getByTestId('executions-table').locator(`[data-execution="${demoExecution}"]`).waitFor();
    await page.getByLabel('Flow', { exact: true }).fill('demo');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/flowId=demo/);
    const started = await startExecution('demo', { name: 'Live' });
    // Arrives through executionsChanged: no reload, no polling.
    const row = page.locator(`[data-execution="${started}"]`);
    await row.waitFor({ timeout: LIVE });
    await row.locator('[data-state="SUCCESS"]').waitFor({ timeout: LIVE });
    await screenshot(page, 'executions');
  });

  it('approves a Pause with resume inputs', async () => {
    const whyNot = await deployOrWhyNot(PAUSE_FLOW);
    if (whyNot) return console.log(`Pause step not run: the engine does not take the Pause flow yet (${whyNot})`);
    const id = await startExecution('approval');
    await page.goto(`${chronicle.url}/executions/${id}`);
    await stateIs('PAUSED');
    await page.getByRole('button', { name: 'Resume…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('[data-input="comment"]').fill('ok');
    await screenshot(page, 'execution-resume');
    await dialog.getByRole('button', { name: 'Approve and resume' }).click();
    await stateIs('SUCCESS');
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByTestId('logs').getByText('approved: ok').waitFor({ timeout: LIVE });
  });

  it('kills a Sleep', async () => {
    const whyNot = await deployOrWhyNot(SLEEP_FLOW);
    if (whyNot) return console.log(`Sleep step not run: the engine does not take the Sleep flow yet (${whyNot})`);
    const id = await startExecution('sleepy');
    await page.goto(`${chronicle.url}/executions/${id}`);
    await stateIs('RUNNING');
    await page.getByRole('toolbar', { name: 'Execution actions' }).getByRole('button', { name: 'Kill' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Kill' }).click();
    await stateIs('KILLED');
  });

  it('restarts a failed execution', async () => {
    const whyNot = await deployOrWhyNot(FAILING_FLOW);
    if (whyNot) return console.log(`Restart step not run: the engine does not take the Fail flow yet (${whyNot})`);
    const id = await startExecution('failing');
    await page.goto(`${chronicle.url}/executions/${id}`);
    await stateIs('FAILED');
    await page.getByText('always fails').first().waitFor();
    await page.getByRole('button', { name: 'Restart' }).click();
    // RESTARTED, then it runs and fails again: the state history shows the restart.
    await page.getByRole('tab', { name: 'Inputs & outputs' }).click();
    await page.locator('[data-state="RESTARTED"]').first().waitFor({ timeout: LIVE });
    await stateIs('FAILED');
  });

  it('replays from a chosen task with edited inputs', async () => {
    await page.goto(`${chronicle.url}/executions/${demoExecution}`);
    await stateIs('SUCCESS');
    await page.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Replay from task').click();
    await page.getByRole('option', { name: 'done', exact: true }).click();
    await dialog.locator('[data-input="name"]').fill('Grace');
    await dialog.getByRole('button', { name: 'Replay', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.endsWith(demoExecution));
    await stateIs('SUCCESS');
    await page.getByText('Replay of').waitFor();
    const replayId = page.url().split('/').pop()!;
    const replay = (await api.data<{ execution: { originalId: string; inputs: { name: string } } }>('query($id: ID!) { execution(id: $id) { originalId inputs } }', { id: replayId })).execution;
    expect(replay).toMatchObject({ originalId: demoExecution, inputs: { name: 'Grace' } });
  });

  it('shows revision history with a diff', async () => {
    await deployOrWhyNot(DEMO_FLOW.replace("The browser test's flow", 'Second revision'));
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('table', { name: 'Flows' }).getByRole('link', { name: 'demo', exact: true }).waitFor();
    await screenshot(page, 'flows');
    await page.getByRole('table', { name: 'Flows' }).getByRole('link', { name: 'demo', exact: true }).click();
    await page.getByRole('tab', { name: 'Revisions' }).click();
    const diff = page.getByTestId('revision-diff');
    await diff.locator('.diff-added', { hasText: 'Second revision' }).waitFor();
    await diff.locator('.diff-removed', { hasText: "The browser test's flow" }).waitFor();
    await screenshot(page, 'flow-revisions');
  });

  it('shows operations: triggers with next fire and enable/disable, projections, dead letters', async () => {
    const whyNot = await deployOrWhyNot(SCHEDULE_FLOW);
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('table', { name: 'Projections' }).getByRole('cell').first().waitFor();
    await page.getByRole('heading', { name: 'Dead letters' }).waitFor();
    if (whyNot) {
      console.log(`Schedule trigger step not run: the engine does not take the Schedule flow yet (${whyNot})`);
    } else {
      const row = page.getByRole('table', { name: 'Triggers' }).getByRole('row', { name: /nightly/ });
      await row.getByText('0 2 * * *').waitFor();
      await row.getByRole('button', { name: /^Disable/ }).click();
      await row.getByText('disabled', { exact: true }).waitFor();
      await row.getByRole('button', { name: /^Enable/ }).click();
      await row.getByText('enabled', { exact: true }).waitFor();
    }
    await screenshot(page, 'operations');
  });

  it('draws a flow as a graph: Parallel, If branches, ForEach, Subflow, errors and finally; redrawn as the YAML changes', async () => {
    expect(await deployOrWhyNot(SHAPES_FLOW)).toBeUndefined();
    await page.goto(`${chronicle.url}/flows/${NAMESPACE}/shapes`);
    const graph = page.getByTestId('flow-graph');
    for (const group of ['group:fan', 'group:check', 'group:loop', 'lane:flow:errors', 'lane:flow:finally']) await graph.locator(`[data-group="${group}"]`).waitFor();
    // Parallel children side by side; If branches labelled; the subflow and the loop marked.
    const measure = await graph.locator('[data-node="task:measure"] rect').boundingBox();
    const side = await graph.locator('[data-node="task:side"] rect').boundingBox();
    expect(measure!.y).toBe(side!.y);
    expect(measure!.x).not.toBe(side!.x);
    await graph.locator('[data-edge-label="then"]').waitFor();
    await graph.locator('[data-edge-label="else"]').waitFor();
    expect(await graph.locator('[data-node="task:child"]').textContent()).toContain(`subflow ${NAMESPACE}.demo`);
    expect(await graph.locator('[data-node="task:loop"]').textContent()).toContain('loop');
    await screenshot(page, 'flow-graph', { fullPage: true });

    // In the editor: a new task appears in the drawing as it is typed; a YAML error keeps the last drawing.
    await page.getByRole('tab', { name: 'Source' }).click();
    const drawn = page.getByTestId('editor-graph');
    await drawn.locator('[data-node="task:nap"]').waitFor();
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(SHAPES_FLOW.replace('  - id: nap\n', '  - id: extra\n    type: Log\n    message: extra\n  - id: nap\n'));
    await drawn.locator('[data-node="task:extra"]').waitFor();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\n  - id: [broken\n');
    await drawn.getByTestId('graph-problems').waitFor();
    expect(await drawn.locator('[data-node="task:extra"]').count()).toBe(1);
    await screenshot(page, 'flow-editor-graph');
  });

  let shapesExecution = '';
  it('draws a running execution on the graph: states, iterations, the current position; a node opens its runs, metrics and logs', async () => {
    shapesExecution = await startExecution('shapes');
    await page.goto(`${chronicle.url}/executions/${shapesExecution}`);
    const graph = page.getByTestId('flow-graph');
    await graph.locator('[data-node="task:nap"][data-state="RUNNING"][data-current="true"]').waitFor({ timeout: LIVE });
    expect(await graph.locator('[data-node="task:step"]').getAttribute('aria-label')).toContain('3 iterations');
    expect(await graph.locator('[data-node="task:step"]').getAttribute('data-state')).toBe('SUCCESS');
    expect(await graph.locator('[data-node="task:child"]').getAttribute('data-state')).toBe('SUCCESS');
    expect(await graph.locator('[data-node="task:skipped"]').getAttribute('data-state')).toBeNull();
    await screenshot(page, 'execution-graph', { fullPage: true });

    await graph.locator('[data-node="task:measure"]').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('table', { name: 'Task metrics' }).getByText('rows').waitFor();
    await drawer.getByTestId('task-tree').waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await page.getByRole('tab', { name: 'Metrics' }).click();
    const metrics = page.getByTestId('execution-metrics');
    await metrics.locator('[data-chart="Counters"]').waitFor();
    await metrics.locator('[data-chart="Timers"]').waitFor();
    // The numbers behind every chart are in a table for screen readers.
    expect(await metrics.getByTestId('chart-table').first().locator('th[scope="row"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'execution-metrics');
  });

  it('moves the graph back in time with the history slider', async () => {
    await page.getByRole('tab', { name: 'History' }).click();
    const travelled = page.getByTestId('time-travel-graph');
    await travelled.locator('[data-node="task:nap"][data-state="RUNNING"]').waitFor();
    await page.getByRole('slider').focus();
    await page.keyboard.press('Home');
    // At the first event no task has run: no node is coloured.
    await expect.poll(() => travelled.locator('[data-task][data-state]').count(), { timeout: 10_000 }).toBe(0);
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => travelled.locator('[data-task][data-state]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await travelled.locator('[data-node="task:nap"][data-state]').count()).toBe(0);
    await screenshot(page, 'execution-time-travel-graph');
    await api.data('mutation($id: ID!) { killExecution(id: $id) { id } }', { id: shapesExecution });
  });

  it('charts task durations and metrics over the flow\'s executions', async () => {
    await page.goto(`${chronicle.url}/flows/${NAMESPACE}/shapes`);
    await page.getByRole('tab', { name: 'Metrics' }).click();
    const metrics = page.getByTestId('flow-metrics');
    await metrics.locator('[data-chart="Counters (Script, Request…)"]').waitFor();
    await metrics.locator('[data-chart^="Task durations"]').waitFor();
    await screenshot(page, 'flow-metrics');
    await page.getByRole('tab', { name: 'Activity' }).click();
    await page.getByTestId('dashboard').locator('[data-chart="Executions over time, by state"]').waitFor();
  });

  it('shows the dashboard: executions by state over time, percentiles, busiest and failing flows, live', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const dashboard = page.getByTestId('dashboard');
    await dashboard.locator('[data-chart="Executions over time, by state"]').waitFor();
    await dashboard.locator('[data-chart="Duration percentiles"]').waitFor();
    await dashboard.locator('[data-chart="Most failing flows"]').getByText(`${NAMESPACE}.failing`).first().waitFor();
    expect(await dashboard.locator('[data-chart="Busiest flows"] th[scope="row"]').first().textContent()).toBe(`${NAMESPACE}.demo`);
    const total = Number(await dashboard.getAttribute('data-total'));
    expect(total).toBeGreaterThan(5);
    // A new execution moves it without a reload (executionsChanged, no polling).
    await startExecution('demo', { name: 'Dashboard' });
    await expect.poll(async () => Number(await page.getByTestId('dashboard').getAttribute('data-total')), { timeout: LIVE }).toBeGreaterThan(total);
    await page.getByRole('combobox', { name: 'Flow' }).click();
    await page.getByRole('option', { name: 'failing', exact: true }).click();
    await expect.poll(() => page.getByTestId('stat-success').textContent(), { timeout: 10_000 }).toContain('0%');
    await page.getByRole('combobox', { name: 'Flow' }).click();
    await page.getByRole('option', { name: 'failing', exact: true }).click();
    await page.getByText('Last week', { exact: true }).click();
    await expect.poll(() => page.url()).toContain('range=week');
    await dashboard.locator('[data-chart="Busiest flows"]').waitFor();
    await page.getByText('Last hour', { exact: true }).click();
    await expect.poll(() => page.url()).toContain('range=hour');
    await page.getByTestId('dashboard').locator('[data-chart="Busiest flows"]').waitFor();
    await screenshot(page, 'dashboard');
  });

  it('offers a VIEWER nothing it may not do', async () => {
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await viewer.newPage();
    const viewerErrors = watchConsole(p);
    await signIn(p, chronicle.url, VIEWER);
    await expect.poll(() => p.getByTestId('role').textContent()).toBe('Role: VIEWER');
    await p.getByRole('link', { name: 'Flows' }).click();
    await p.getByRole('table', { name: 'Flows' }).getByRole('link', { name: 'demo', exact: true }).waitFor();
    expect(await p.getByRole('link', { name: 'New flow' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: /^Run/ }).count() + (await p.getByRole('link', { name: /^Run/ }).count())).toBe(0);
    await p.goto(`${chronicle.url}/executions/${demoExecution}`);
    await p.locator('[data-testid="execution-state"] [data-state="SUCCESS"]').waitFor();
    expect(await p.getByRole('toolbar', { name: 'Execution actions' }).count()).toBe(0);
    await viewer.close();
    expect(viewerErrors).toEqual([]);
  });

  it('is usable 390 pixels wide', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    const phoneErrors = watchConsole(p);
    await p.goto(chronicle.url);
    await p.getByLabel('API token').fill(ADMIN);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('button', { name: 'Toggle navigation' }).click();
    await p.getByRole('link', { name: 'Executions' }).click();
    await p.getByTestId('executions-table').waitFor();
    await p.goto(`${chronicle.url}/executions/${demoExecution}`);
    await p.locator('[data-testid="execution-state"] [data-state="SUCCESS"]').waitFor();
    await p.getByTestId('flow-graph').locator('[data-node="task:hello"]').waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(p, 'mobile-execution');
    await p.goto(`${chronicle.url}/dashboard`);
    await p.getByTestId('dashboard').locator('[data-chart="Executions over time, by state"]').waitFor();
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(p, 'mobile-dashboard');
    await phone.close();
    expect(phoneErrors).toEqual([]);
  });

  it('follows the system\'s dark mode', async () => {
    const dark = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    const p = await dark.newPage();
    const darkErrors = watchConsole(p);
    await signIn(p, chronicle.url, ADMIN);
    expect(await p.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe('dark');
    await p.getByTestId('dashboard').locator('[data-chart="Executions over time, by state"]').waitFor();
    await screenshot(p, 'dashboard-dark');
    await dark.close();
    expect(darkErrors).toEqual([]);
  });

  it('wrote no error to the console', () => {
    expect(errors).toEqual([]);
  });
});
