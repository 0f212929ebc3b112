import { randomUUID } from 'node:crypto';
import type { EventData } from '@chronicle/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertLogs, type LogMessage } from '../projection/log-projector.js';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { benchmark01Events, executionStream, flowDeployed } from '../test-support/benchmark01.events.js';
import { recordingLogger, startHarness, type Harness } from '../test-support/read-model.harness.js';
import { InvalidLogLevelError } from './log.queries.js';
import { ReadModelQueries } from './read-model-queries.js';

const lifecycle = (type: string): EventData => ({
  id: randomUUID(), type, data: { namespace: 'benchmarks', flowId: 'benchmark01', at: '2025-01-01T00:00:00.000Z' },
  metadata: { schemaVersion: 1, occurredAt: '2025-01-01T00:00:00.000Z' },
});

/** benchmark01 events with the creation's data changed (labels, parent, original, namespace). */
function created(id: string, change: Record<string, unknown>, base = 0): EventData[] {
  return benchmark01Events(id, { base }).map((e) => (e.type === 'ExecutionCreated' ? { ...e, data: { ...(e.data as object), ...change } } : e));
}

describe('read-model queries of the API', () => {
  let h: Harness;
  let queries: ReadModelQueries;
  let projector: ExecutionProjector;

  beforeAll(async () => {
    h = await startHarness();
    queries = new ReadModelQueries(h.dataSource);
    projector = new ExecutionProjector(h.dataSource, h.store, h.bus, { topicPrefix: 'test', logger: recordingLogger() });
    await projector.start();
    await h.append(executionStream('a'), created('a', { labels: { team: 'data', env: 'prod' } }, 0));
    await h.append(executionStream('b'), created('b', { labels: { team: 'data', env: 'dev' }, parentId: 'a', originalId: 'a' }, 10));
    await h.append(executionStream('c'), created('c', { labels: { team: 'web' }, namespace: 'benchmarks.child' }, 20));
    const last = await h.append(executionStream('d'), created('d', { namespace: 'benchmarksx' }, 30));
    await projector.waitForPosition(last, 10_000);
  });
  afterAll(async () => {
    await projector.stop();
    await h.close();
  });

  const ids = async (input: Parameters<ReadModelQueries['listExecutions']>[0]) => (await queries.listExecutions(input)).nodes.map((n) => n.id);

  it('filters by labels (containment), start date range, parent and original id, and a namespace with its children', async () => {
    expect(await ids({ labels: { team: 'data' } })).toEqual(['b', 'a']);
    expect(await ids({ labels: { team: 'data', env: 'prod' } })).toEqual(['a']);
    expect(await ids({ labels: { team: 'nobody' } })).toEqual([]);
    expect(await ids({ startDate: '2025-01-01T12:00:10.000Z' })).toEqual(['d', 'c', 'b']);
    expect(await ids({ startDate: '2025-01-01T12:00:05.000Z', endDate: '2025-01-01T12:00:25.000Z' })).toEqual(['c', 'b']);
    expect(await ids({ parentId: 'a' })).toEqual(['b']);
    expect(await ids({ originalId: 'a' })).toEqual(['b', 'a']);
    expect(await ids({ namespace: 'benchmarks' })).toEqual(['c', 'b', 'a']);
    expect(await ids({ namespaces: ['benchmarks.child', 'benchmarksx'] })).toEqual(['d', 'c']);
    expect((await queries.listExecutions({ labels: { team: 'data' } })).totalCount).toBe(2);
  });

  it('pages under concurrent inserts without skipping or repeating an execution', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let inserted = 0;
    for (;;) {
      const page = await queries.listExecutions({ first: 1, after });
      seen.push(...page.nodes.map((n) => n.id));
      // Insert newer executions between every two pages.
      const position = await h.append(executionStream(`new-${inserted}`), created(`new-${inserted}`, {}, 40 + inserted));
      inserted++;
      await projector.waitForPosition(position, 10_000);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toEqual(['d', 'c', 'b', 'a']);
    expect((await queries.listExecutions({ first: 100 })).totalCount).toBe(4 + inserted);
  });

  it('loads many executions by id in two queries', async () => {
    h.counter.reset();
    const found = await queries.getExecutions(['a', 'c', 'missing']);
    expect([...found.keys()].sort()).toEqual(['a', 'c']);
    expect(found.get('a')!.taskRuns.map((t) => t.taskId)).toEqual(['concatenate', 'hello']);
    expect(h.counter.queries).toHaveLength(2);
  });

  it('pages the logs of many executions in one query, with a level floor', async () => {
    const line = (executionId: string, level: LogMessage['level'], message: string): LogMessage => ({ executionId, level, message, timestamp: '2025-01-01T00:00:00.000Z' });
    await insertLogs(h.dataSource, [line('a', 'INFO', 'a1'), line('b', 'DEBUG', 'b1'), line('a', 'WARN', 'a2'), line('a', 'ERROR', 'a3'), line('b', 'INFO', 'b2')]);
    h.counter.reset();
    const pages = await queries.getLogPages(['a', 'b', 'c'], { first: 2 });
    expect(h.counter.queries).toHaveLength(1);
    expect(pages.get('a')!.nodes.map((l) => l.message)).toEqual(['a1', 'a2']);
    expect(pages.get('a')!.hasNextPage).toBe(true);
    expect(pages.get('b')).toMatchObject({ hasNextPage: false, nodes: [{ message: 'b1' }, { message: 'b2' }] });
    expect(pages.get('c')).toEqual({ nodes: [], hasNextPage: false, endCursor: undefined });
    const next = await queries.getLogPages(['a'], { first: 2, after: pages.get('a')!.endCursor });
    expect(next.get('a')!.nodes.map((l) => l.message)).toEqual(['a3']);
    const warn = await queries.getLogPages(['a', 'b'], { minLevel: 'warn' });
    expect(warn.get('a')!.nodes.map((l) => l.level)).toEqual(['WARN', 'ERROR']);
    expect(warn.get('b')!.nodes).toEqual([]);
    expect((await queries.getLogs('b', 'INFO')).map((l) => l.message)).toEqual(['b2']);
    await expect(queries.getLogPages(['a'], { minLevel: 'LOUD' })).rejects.toBeInstanceOf(InvalidLogLevelError);
  });

  it('projects disabling, enabling and deleting a flow, and a deploy that brings it back', async () => {
    const stream = 'flow-benchmarks.benchmark01';
    const status = async () => {
      const flow = await queries.getFlow('benchmarks', 'benchmark01');
      return flow && { revision: flow.revision, disabled: flow.disabled, deleted: flow.deleted };
    };
    await projector.waitForPosition(await h.append(stream, [flowDeployed(1), lifecycle('FlowDisabled')]), 10_000);
    expect(await status()).toEqual({ revision: 1, disabled: true, deleted: false });
    await projector.waitForPosition(await h.append(stream, [lifecycle('FlowEnabled'), lifecycle('FlowDeleted')]), 10_000);
    expect(await status()).toEqual({ revision: 1, disabled: false, deleted: true });
    expect(await queries.listFlows()).toEqual([]);
    expect((await queries.listFlowRevisions('benchmarks', 'benchmark01')).map((f) => [f.revision, f.deleted])).toEqual([[1, true]]);
    await projector.waitForPosition(await h.append(stream, [flowDeployed(2, 'id: benchmark01\nnamespace: benchmarks\n# v2\n')]), 10_000);
    expect(await status()).toEqual({ revision: 2, disabled: false, deleted: false });
    expect((await queries.listFlows()).map((f) => f.revision)).toEqual([2]);
    const checkpoints = await queries.projectionCheckpoints();
    expect(checkpoints).toEqual([{ name: 'executions', position: projector.position()!.toString(), updatedAt: expect.any(String), errors: 0 }]);
  });
});
