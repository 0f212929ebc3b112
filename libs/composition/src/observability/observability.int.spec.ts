import { createLogger, inMemorySpanExporter, loadConfig, SpanKind, startTracing, withSpan, type Tracing } from '@chronicle/runtime';
import { createTestDatabase, eventually, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHealthServer, platformHealthChecks, type HealthServer } from '../health-server.js';
import { createPlatform, type Platform } from '../platform.js';

// The platform as the distributed services build it: real Postgres, real Kafka, tracing on.
let db: TestDatabase;
let platform: Platform;
let server: HealthServer;
let tracing: Tracing;
const exporter = inMemorySpanExporter();

beforeAll(async () => {
  tracing = startTracing({ service: 'observability-test', mode: 'off', exporter });
  db = await createTestDatabase('observability');
  const config = loadConfig({ DATABASE_URL: db.url, KAFKA_BROKERS: testKafkaBrokers().join(','), CHRONICLE_TOPIC_PREFIX: uniqueTopicPrefix('obs'), CHRONICLE_KAFKA_PARTITIONS: '1' });
  platform = await createPlatform(config, db.url, createLogger('observability-test', 'silent'));
  server = await startHealthServer(0, platformHealthChecks(platform), { host: '127.0.0.1' });
});
afterAll(async () => {
  await server?.close();
  await platform?.close();
  await db?.drop();
  await tracing?.shutdown();
});

const metrics = async () => (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();

describe('observability of the platform (real Postgres and Kafka)', () => {
  it('carries the trace in the Kafka headers: the consumer span is a child of the publisher\'s', async () => {
    const topic = platform.topics.timers;
    const received: Array<Record<string, string>> = [];
    const consumer = await platform.bus.consume({ topic, groupId: uniqueTopicPrefix('traced') }, async (message) => {
      received.push(message.headers);
    });
    try {
      const traceId = await withSpan('publisher', {}, async (span) => {
        await platform.bus.publish(topic, [{ key: 'k', value: { hello: 'world' } }]);
        return span.spanContext().traceId;
      });
      await eventually('the message', async () => received.length > 0, 30_000);
      expect(received[0]!.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      const publisher = spans.find((s) => s.name === 'publisher')!;
      const processed = await eventually('the consumer span', async () => exporter.getFinishedSpans().find((s) => s.name === `${topic} process` && s.spanContext().traceId === traceId));
      expect(processed.kind).toBe(SpanKind.CONSUMER);
      expect(processed.parentSpanContext?.spanId).toBe(publisher.spanContext().spanId);
      expect(processed.attributes['messaging.system']).toBe('kafka');
    } finally {
      await consumer.stop();
    }
  });

  it('serves /metrics: consumer lag per topic and group while a consumer lags, append latency, process metrics', async () => {
    const topic = platform.topics.logs;
    const group = uniqueTopicPrefix('lagging');
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const consumer = await platform.bus.consume({ topic, groupId: group }, async () => blocked);
    try {
      await platform.bus.publish(topic, Array.from({ length: 5 }, (_, i) => ({ key: 'same', value: { i } })));
      const lag = await eventually('a lag of the group', async () => {
        const text = await metrics();
        const line = text.split('\n').find((l) => l.startsWith('chronicle_consumer_lag_messages{') && l.includes(`group="${group}"`));
        return line && Number(line.split(' ').at(-1)) >= 4 ? line : undefined;
      }, 30_000);
      expect(lag).toContain(`topic="${topic}"`);
    } finally {
      release();
      await consumer.stop();
    }
    await platform.store.append('observability-1', [{ id: crypto.randomUUID(), type: 'Probe', data: {}, metadata: { schemaVersion: 1, occurredAt: new Date().toISOString() } }], 'no_stream');
    const text = await metrics();
    expect(text).toMatch(/chronicle_event_store_append_duration_seconds_count\{operation="append",outcome="ok"\} [1-9]/);
    expect(text).toContain('chronicle_process_cpu_seconds_total');
    expect(text).not.toContain(`group="${group}"`); // a stopped consumer is no longer reported
    // Readiness on the same server names the Kafka brokers and the consumers' group membership.
    const ready = (await (await fetch(`http://127.0.0.1:${server.port}/readyz`)).json()) as { checks: Record<string, string> };
    expect(ready.checks).toEqual({ postgres: 'ok', eventStore: 'ok', kafka: 'ok', consumers: 'ok' });
  });
});
