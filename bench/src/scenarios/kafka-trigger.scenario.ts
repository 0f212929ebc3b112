import { Kafka, logLevel } from 'kafkajs';
import { BENCHMARK01_FLOW, GatewayClient } from '@chronicle/testing';
import { ExecutionTracker } from '../execution-tracker.js';
import type { ResultRow } from '../result-row.js';
import { summary } from '../stats.js';
import type { SystemUnderTest } from '../system-under-test.js';

/**
 * Kafka trigger event → SUCCESS: one `chronicle.triggers` message at a time (after a warm-up),
 * latency from the produce call to SUCCESS seen over graphql-ws. Distributed mode only.
 */
export async function kafkaTriggerLatency(sut: SystemUnderTest, runs: number): Promise<ResultRow[]> {
  if (!sut.brokers) return [];
  const client = new GatewayClient(sut.url, sut.token);
  await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: BENCHMARK01_FLOW });
  const tracker = new ExecutionTracker(client, 'benchmarks');
  await tracker.start();
  const producer = new Kafka({ clientId: 'bench-trigger', brokers: [sut.brokers], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  const latencies: number[] = [];
  try {
    for (let i = 0; i < runs + 5; i++) {
      const key = `bench-${Date.now()}-${i}`;
      const t0 = performance.now();
      const seen = tracker.waitForTrigger(key);
      await producer.send({ topic: `${sut.topicPrefix}.triggers`, messages: [{ key, value: JSON.stringify({ namespace: 'benchmarks', flowId: 'benchmark01', inputs: { name: key }, idempotencyKey: key }) }] });
      const done = await seen;
      if (i >= 5) latencies.push(done.seenAt - t0);
    }
  } finally {
    await producer.disconnect();
    tracker.stop();
  }
  return [{ scenario: 'benchmark01', mode: sut.mode, offeredPerMin: null, achievedPerMin: null, ...summary(latencies), startedBy: 'kafka-trigger', runs }];
}
