import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InFlightLimit } from './in-flight-limit.js';
import { registerAdmission, registerConsumerLag, registerOpenSubscriptions, registerProjectionLag, renderMetrics } from './metrics.js';
import { contextFrom, inMemorySpanExporter, linksFrom, startTracing, traceHeaders, traceIds, withSpan, type Tracing } from './tracing.js';

describe('metrics read at scrape time', () => {
  it('reports every registered source, and forgets a source once unregistered', async () => {
    const offLag = registerConsumerLag('t.commands', 'g1', async () => 7);
    const offProjection = registerProjectionLag('executions', async () => ({ events: 3, seconds: 1.5 }));
    const offSubscriptions = registerOpenSubscriptions('graphql_ws', () => 2);
    const text = await renderMetrics();
    expect(text).toContain('chronicle_consumer_lag_messages{topic="t.commands",group="g1"} 7');
    expect(text).toContain('chronicle_projection_lag_events{projection="executions"} 3');
    expect(text).toContain('chronicle_projection_lag_seconds{projection="executions"} 1.5');
    expect(text).toContain('chronicle_open_subscriptions{kind="graphql_ws"} 2');
    offLag();
    offProjection();
    offSubscriptions();
    const after = await renderMetrics();
    expect(after).not.toContain('group="g1"');
    expect(after).not.toContain('projection="executions"');
  });

  it('reports an admission bound\'s slots in use and its bound as they are at each scrape', async () => {
    const limit = new InFlightLimit({ max: 5, holdMs: 60_000 });
    const off = registerAdmission('gateway', limit);
    const slot = limit.tryAcquire()!;
    limit.tryAcquire()!.bind('e-2');
    let text = await renderMetrics();
    expect(text).toContain('chronicle_admission_in_flight{path="gateway"} 2');
    expect(text).toContain('chronicle_admission_limit{path="gateway"} 5');
    slot.release();
    limit.ended('e-2');
    text = await renderMetrics();
    expect(text).toContain('chronicle_admission_in_flight{path="gateway"} 0');
    off();
    expect(await renderMetrics()).not.toContain('path="gateway"');
  });

  it('leaves out a source that fails instead of failing the scrape', async () => {
    const off = registerConsumerLag('t.broken', 'g2', async () => {
      throw new Error('broker down');
    });
    const offOk = registerConsumerLag('t.ok', 'g3', async () => 1);
    const text = await renderMetrics();
    expect(text).not.toContain('t.broken');
    expect(text).toContain('chronicle_consumer_lag_messages{topic="t.ok",group="g3"} 1');
    off();
    offOk();
  });
});

describe('tracing helpers', () => {
  it('are inert while tracing is off: no headers, no ids', async () => {
    await withSpan('nothing', {}, async () => {
      expect(traceHeaders()).toEqual({});
      expect(traceIds()).toEqual({});
    });
    expect(contextFrom({ traceparent: 'garbage' })).toBeUndefined();
  });

  describe('with tracing on', () => {
    const exporter = inMemorySpanExporter();
    let tracing: Tracing;
    beforeAll(() => {
      tracing = startTracing({ service: 'test', mode: 'off', exporter });
    });
    afterAll(async () => {
      await tracing.shutdown();
    });

    it('propagates the active span through a carrier and back, and links a batch to its senders', async () => {
      const carriers: Record<string, string>[] = [];
      for (const name of ['a', 'b']) await withSpan(name, {}, async () => void carriers.push(traceHeaders()));
      expect(carriers[0]!.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const consumed = await withSpan('consume', { parent: contextFrom(carriers[0]), links: linksFrom(carriers.slice(1)) }, async () => traceIds());
      const [a, b, consume] = exporter.getFinishedSpans();
      expect(consumed.traceId).toBe(a!.spanContext().traceId);
      expect(consume!.parentSpanContext?.spanId).toBe(a!.spanContext().spanId);
      expect(consume!.links.map((l) => l.context.spanId)).toEqual([b!.spanContext().spanId]);
    });

    it('records a failure on the span and rethrows it', async () => {
      await expect(withSpan('fails', {}, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
      const failed = exporter.getFinishedSpans().find((s) => s.name === 'fails')!;
      expect(failed.status).toMatchObject({ code: 2, message: 'boom' });
    });
  });
});
