import { LOG_LINES_WITH_ROWS, type LogUpdate } from '@chronicle/contracts';
import type { EventData } from '@chronicle/event-store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { resetExecutionProjection } from '../setup/reset-projection.js';
import { benchmark01Events, executionStream } from '../test-support/benchmark01.events.js';
import { eventually, recordingLogger, startHarness, type Harness } from '../test-support/read-model.harness.js';
import { ExecutionProjector } from './execution-projector.js';

/**
 * benchmark01 run as a start that ended in its creation's own append: the Log task ran locally
 * (its line is in its job) and, when `marked`, its writer left the line to the projection.
 */
function localRun(executionId: string, name: string, marked: boolean): EventData[] {
  return benchmark01Events(executionId, { name }).map((event) => {
    const data = event.data as { taskId?: string; job?: Record<string, unknown> };
    if (event.type !== 'TaskRunCreated' || data.taskId !== 'hello') return event;
    return {
      ...event,
      data: { ...data, job: { ...data.job, local: true } },
      metadata: marked ? { ...event.metadata, [LOG_LINES_WITH_ROWS]: true } : event.metadata,
    };
  });
}

describe('ExecutionProjector: log lines stored with the execution\'s rows (LOG_LINES_WITH_ROWS)', () => {
  let h: Harness;
  let queries: ReadModelQueries;
  const projectors: ExecutionProjector[] = [];
  const projector = () => {
    const p = new ExecutionProjector(h.dataSource, h.store, h.bus, { topicPrefix: 'test', logger: recordingLogger(), backoff: { initialDelayMs: 10, maxDelayMs: 50 } });
    projectors.push(p);
    return p;
  };
  const logUpdates = (executionId: string) => h.updates.map((m) => m.value).filter((v): v is LogUpdate => v.kind === 'log' && v.executionId === executionId);

  beforeEach(async () => {
    h = await startHarness();
    queries = new ReadModelQueries(h.dataSource);
  });
  afterEach(async () => {
    for (const p of projectors.splice(0)) await p.stop();
    await h.close();
  });

  it('stores a marked event\'s lines in the transaction that projects it, and announces them with the execution\'s update; an unmarked one\'s are left to the relay', async () => {
    await h.append(executionStream('e1'), localRun('e1', 'Ada', true));
    const position = await h.append(executionStream('e2'), localRun('e2', 'Bob', false));
    h.counter.reset();
    const p = projector();
    await p.start();
    await p.waitForPosition(position, 10_000);
    // No round trip of their own: the lines go in the statement that writes the rows (their ids come back from it).
    const inserts = h.counter.queries.filter((q) => q.includes('INSERT INTO logs'));
    expect(inserts.length).toBeGreaterThan(0);
    expect(inserts.every((q) => q.startsWith('WITH w0 AS (INSERT INTO executions'))).toBe(true);

    // Committed with the rows: readable as soon as the end is.
    expect((await queries.getExecution('e1'))?.state).toBe('SUCCESS');
    const lines = await queries.getLogs('e1');
    expect(lines).toEqual([expect.objectContaining({ executionId: 'e1', taskRunId: 'e1-hello', taskId: 'hello', level: 'INFO', message: 'Hello Ada', timestamp: '2025-01-01T12:00:05.000Z' })]);
    expect(await queries.getLogs('e2')).toEqual([]);

    // Live: the line as stored (its id orders it), on the updates topic, keyed by its execution.
    await eventually(() => logUpdates('e1').length === 1);
    expect(logUpdates('e1')).toEqual([{ kind: 'log', ...lines[0] }]);
    expect(h.updates.filter((m) => m.value.kind === 'log').every((m) => m.key === (m.value as LogUpdate).executionId)).toBe(true);
    expect(logUpdates('e2')).toEqual([]);
  });

  it('stores each line once: a batch that failed after its insert is retried whole, and a replay of the log after a reset adds nothing', async () => {
    // The first insert into logs fails inside the batch's transaction (a sequence is not rolled back, so only the first).
    await h.dataSource.query(`CREATE SEQUENCE fail_logs_once`);
    await h.dataSource.query(`CREATE FUNCTION fail_logs_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('fail_logs_once') = 1 THEN RAISE EXCEPTION 'the database fails mid-batch'; END IF; RETURN NEW; END $$`);
    await h.dataSource.query(`CREATE TRIGGER fail_logs_once BEFORE INSERT ON logs FOR EACH ROW EXECUTE FUNCTION fail_logs_once()`);

    const position = await h.append(executionStream('e3'), localRun('e3', 'Cy', true));
    const first = projector();
    await first.start();
    await first.waitForPosition(position, 10_000);
    const [{ n: failures }] = await h.dataSource.query(`SELECT last_value::int AS n FROM fail_logs_once`);
    expect(failures).toBeGreaterThanOrEqual(2);
    expect((await queries.getLogs('e3')).map((l) => l.message)).toEqual(['Hello Cy']);
    await first.stop();

    await resetExecutionProjection(h.dataSource);
    const second = projector();
    await second.start();
    await second.waitForPosition(position, 10_000);
    expect((await queries.getExecution('e3'))?.state).toBe('SUCCESS');
    expect((await queries.getLogs('e3')).map((l) => l.message)).toEqual(['Hello Cy']);
  });
});
