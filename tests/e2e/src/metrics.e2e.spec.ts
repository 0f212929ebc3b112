import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, eventually, GatewayClient, untilTerminal, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';

const TOKEN = 'e2e-metrics-admin-token-0123456789';
const flow = (id: string, tasks: string) => `id: ${id}\nnamespace: metrics.ns\ntasks:\n${tasks}`;

/** The value of one sample of the Prometheus text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

// Standalone: one process, one registry: the gateway's /metrics shows every service's metrics.
describe('Prometheus metrics, end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;
  const scrape = async () => {
    const response = await fetch(`${chronicle.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return response.text();
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_metrics');
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
    await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: flow('ok', '  - id: a\n    type: Log\n    message: one\n') });
    await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: flow('ko', '  - id: boom\n    type: Fail\n    errorMessage: no\n') });
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  it('counts executions started and ended by state, times task runs and appends, reports lags and open subscriptions', async () => {
    const before = await scrape();
    const subscription = client.subscribe(`subscription { executionsChanged(namespace: "metrics.ns") { id state } }`, {});
    try {
      const ids: string[] = [];
      for (const f of ['ok', 'ok', 'ko']) ids.push((await client.data(`mutation($f:String!){ createExecution(namespace:"metrics.ns", flowId:$f){ id } }`, { f })).createExecution.id);
      for (const id of ids) await untilTerminal(client, id);
      const after = await eventually('the ends counted', async () => {
        const text = await scrape();
        return sample(text, 'chronicle_executions_ended_total', { namespace: 'metrics.ns', state: 'FAILED' }) >= 1 ? text : undefined;
      }, 60_000);
      const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
      expect(delta('chronicle_executions_started_total', { namespace: 'metrics.ns' })).toBe(3);
      expect(delta('chronicle_executions_ended_total', { namespace: 'metrics.ns', state: 'SUCCESS' })).toBe(2);
      expect(delta('chronicle_executions_ended_total', { namespace: 'metrics.ns', state: 'FAILED' })).toBe(1);
      expect(delta('chronicle_task_run_duration_seconds_count', { task_type: 'Log', state: 'SUCCESS' })).toBe(2);
      expect(delta('chronicle_task_run_duration_seconds_count', { task_type: 'Fail', state: 'FAILED' })).toBe(1);
      expect(delta('chronicle_event_store_append_duration_seconds_count', { operation: 'appendMany', outcome: 'ok' })).toBeGreaterThan(0);
      expect(after).toMatch(/chronicle_event_store_append_duration_seconds_bucket\{le="0.005",operation="append",outcome="ok"\}/);
      expect(sample(after, 'chronicle_open_subscriptions', { kind: 'graphql_ws' })).toBe(1);
      expect(sample(after, 'chronicle_open_subscriptions', { kind: 'live_updates' })).toBeGreaterThanOrEqual(1);
      expect(after).toMatch(/chronicle_projection_lag_events\{projection="executions"\} \d+/);
      expect(after).toMatch(/chronicle_projection_lag_seconds\{projection="executions"\} [\d.e-]+/);
      expect(after).toMatch(/chronicle_consumer_lag_messages\{topic="chronicle.commands",group="chronicle-executor"\} \d+/);
    } finally {
      subscription.dispose();
    }
    await eventually('the connection closed', async () => sample(await scrape(), 'chronicle_open_subscriptions', { kind: 'graphql_ws' }) === 0, 60_000);
  });

  it('answers /readyz with the checks of Postgres, the event store and the consumers (and Kafka on the Kafka bus)', async () => {
    const response = await fetch(`${chronicle.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', eventStore: 'ok', consumers: 'ok' } });
  });
});
