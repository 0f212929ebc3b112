import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { eventually, recordingLogger, startHarness, TOPICS, type Harness, type RecordingLogger } from '../test-support/read-model.harness.js';
import type { LogUpdate } from '@chronicle/contracts';
import { LogProjector, type LogMessage } from './log-projector.js';
import { DLQ_HEADERS, dlqTopic } from '@chronicle/messaging';

const line = (executionId: string, n: number, extra: Partial<LogMessage> = {}): LogMessage => ({
  executionId, taskRunId: `${executionId}-hello`, taskId: 'hello', level: 'INFO', message: `line ${n}`,
  timestamp: new Date(Date.UTC(2025, 0, 1, 12, 0, n)).toISOString(), ...extra,
});

describe('LogProjector', () => {
  let h: Harness;
  let logger: RecordingLogger;
  let projector: LogProjector;

  beforeEach(async () => {
    h = await startHarness();
    logger = recordingLogger();
    projector = new LogProjector(h.dataSource, h.bus, { topicPrefix: 'test', logger });
  });
  afterEach(async () => {
    await projector.stop();
    await h.close();
  });

  it('stores a batch of lines with one INSERT and announces each on the updates topic', async () => {
    await h.bus.publish(TOPICS.logs, [1, 2, 3, 4].map((n) => ({ key: 'e1', value: line('e1', n, n === 4 ? ({ level: 'warn', taskRunId: undefined } as unknown as Partial<LogMessage>) : {}) })));
    h.counter.reset();
    await projector.start();
    const logUpdates = () => h.updates.map((m) => m.value).filter((v): v is LogUpdate => v.kind === 'log');
    await eventually(() => logUpdates().length === 4);

    expect(h.counter.count('INSERT INTO logs')).toBe(1);
    const logs = await new ReadModelQueries(h.dataSource).getLogs('e1');
    expect(logs.map((l) => l.message)).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
    expect(logs[0]).toMatchObject({ executionId: 'e1', taskRunId: 'e1-hello', taskId: 'hello', level: 'INFO', timestamp: '2025-01-01T12:00:01.000Z' });
    expect(logs[3]).toMatchObject({ level: 'WARN' });
    expect(logs[3].taskRunId).toBeUndefined();
    expect(logUpdates()).toEqual(logs.map((l) => ({ kind: 'log', ...l })));
    expect(h.updates.filter((m) => m.value.kind === 'log').every((m) => m.key === 'e1')).toBe(true);
  });

  it('dead-letters a message that is not a log line (or of an unknown schemaVersion), with the reason, and stores the others', async () => {
    await projector.start();
    await h.bus.publish(TOPICS.logs, [
      { key: 'e2', value: { nonsense: true } },
      { key: 'e2', value: { ...line('e2', 2), schemaVersion: 7 } },
      { key: 'e2', value: line('e2', 1) },
    ]);
    await eventually(async () => (await new ReadModelQueries(h.dataSource).getLogs('e2')).length === 1);
    await eventually(() => h.bus.retained(dlqTopic(TOPICS.logs)).length === 2);
    expect(h.bus.retained(dlqTopic(TOPICS.logs)).map((r) => r.headers[DLQ_HEADERS.reason])).toEqual([
      expect.stringMatching(/logs: executionId: .*message: /),
      expect.stringMatching(/logs: unknown schemaVersion 7/),
    ]);
    expect(await new ReadModelQueries(h.dataSource).getLogs('e1')).toEqual([]);
  });
});
