import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, eventually, GatewayClient, untilTerminal, type TestDatabase } from '@chronicle/testing';
import { createLogger, inMemorySpanExporter, loadConfig, SpanKind, startTracing, type Tracing } from '@chronicle/runtime';

const TOKEN = 'e2e-tracing-admin-token-0123456789';
// `a` is a local task (the executor runs it); `b` (Echo) goes through the worker pool.
const FLOW = 'id: traced\nnamespace: tracing\ntasks:\n  - id: a\n    type: Log\n    message: one\n  - id: b\n    type: Echo\n    format: two\n';

// Tracing on, spans kept in memory; the standalone process hosts gateway, executor and projection.
describe('OpenTelemetry traces, end to end', () => {
  const exporter = inMemorySpanExporter();
  let tracing: Tracing;
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;

  beforeAll(async () => {
    tracing = startTracing({ service: 'chronicle-test', mode: 'off', exporter });
    db = await createTestDatabase('e2e_tracing');
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
    await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: FLOW });
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
    await tracing?.shutdown();
  });

  it('follows a createExecution request from the gateway through the log and the bus to the executor, the worker and the projection', async () => {
    // The caller's own trace: its traceparent names the trace every span must join.
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${chronicle.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: 'mutation { createExecution(namespace: "tracing", flowId: "traced") { id } }' }),
    });
    const { data } = (await response.json()) as { data: { createExecution: { id: string } } };
    expect((await untilTerminal(client, data.createExecution.id)).state).toBe('SUCCESS');

    const inTrace = await eventually('spans of the executor, the worker and the projection in the trace', async () => {
      const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      const names = new Set(spans.map((s) => s.name));
      const done = ['chronicle.commands process', 'chronicle.tasks process', 'event-store appendMany'].every((n) => names.has(n));
      // The relay's delivery can end first; the projection's span ends after its transaction commits,
      // which is after the read model (and so untilTerminal) already shows the end: wait for that one.
      const projected = spans.some((s) => s.name === 'event-store deliver' && s.attributes['chronicle.stream_prefixes'] === 'execution-,flow-');
      // A span is exported when it ends, a parent after its children: wait until a commands span that
      // parents an appendMany has ended too (its batch may still be finishing when the append is exported).
      const commandIds = new Set(spans.filter((s) => s.name === 'chronicle.commands process').map((s) => s.spanContext().spanId));
      const parented = spans.some((s) => s.name === 'event-store appendMany' && commandIds.has(s.parentSpanContext?.spanId ?? ''));
      return done && parented && projected ? spans : undefined;
    }, 60_000);
    const byName = (name: string) => inTrace.filter((s) => s.name === name);
    // The gateway: the HTTP request (a child of the caller's span) and its append of ExecutionCreated under it.
    const [http] = byName('HTTP POST');
    expect(http).toMatchObject({ kind: SpanKind.SERVER, parentSpanContext: expect.objectContaining({ spanId: '00f067aa0ba902b7' }) });
    const createAppend = byName('event-store append').find((s) => s.parentSpanContext?.spanId === http!.spanContext().spanId);
    expect(createAppend?.kind).toBe(SpanKind.CLIENT);
    // The executor: the commands it consumed and the events it appended, in the same trace.
    const commands = byName('chronicle.commands process');
    expect(commands.every((s) => s.kind === SpanKind.CONSUMER)).toBe(true);
    const commandSpanIds = new Set(commands.map((s) => s.spanContext().spanId));
    expect(byName('event-store appendMany').some((s) => commandSpanIds.has(s.parentSpanContext?.spanId ?? ''))).toBe(true);
    // The worker ran the task runs under the trace, and the log subscribers (projection, relay) delivered its events.
    expect(byName('chronicle.tasks process').length).toBeGreaterThan(0);
    expect(byName('event-store deliver').some((s) => s.attributes['chronicle.stream_prefixes'] === 'execution-,flow-')).toBe(true);
  });
});
