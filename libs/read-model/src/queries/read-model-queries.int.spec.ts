import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { benchmark01Events, executionStream } from '../test-support/benchmark01.events.js';
import { recordingLogger, startHarness, type Harness } from '../test-support/read-model.harness.js';
import { InvalidCursorError } from './cursor.js';
import { ReadModelQueries } from './read-model-queries.js';

describe('ReadModelQueries', () => {
  let h: Harness;
  let queries: ReadModelQueries;
  let projector: ExecutionProjector;
  // x0..x6 in creation order; x1, x3 and x5 stop after their first task run started (RUNNING).
  const ids = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6'];

  beforeAll(async () => {
    h = await startHarness();
    queries = new ReadModelQueries(h.dataSource);
    projector = new ExecutionProjector(h.dataSource, h.store, h.bus, { topicPrefix: 'test', logger: recordingLogger() });
    await projector.start();
    let position = 0n;
    for (const [i, id] of ids.entries()) {
      position = await h.append(executionStream(id), benchmark01Events(id, { count: i % 2 === 1 ? 4 : undefined, base: i * 10 }));
    }
    // Another flow, so that the filters have something to leave out.
    const other = benchmark01Events('y0').map((e) =>
      e.type === 'ExecutionCreated' ? { ...e, data: { ...(e.data as object), flowId: 'other' } } : e);
    position = await h.append(executionStream('y0'), other);
    await projector.waitForPosition(position, 10_000);
  });
  afterAll(async () => {
    await projector.stop();
    await h.close();
  });

  it('pages newest first with cursors and a total count', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    const pages: boolean[] = [];
    for (;;) {
      const page = await queries.listExecutions({ namespace: 'benchmarks', flowId: 'benchmark01', first: 3, after });
      expect(page.totalCount).toBe(7);
      seen.push(...page.nodes.map((n) => n.id));
      pages.push(page.hasNextPage);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toEqual([true, true, false]);
  });

  it('filters by namespace, flow and states', async () => {
    expect((await queries.listExecutions({ first: 100 })).totalCount).toBe(8);
    expect((await queries.listExecutions({ flowId: 'other' })).nodes.map((n) => n.id)).toEqual(['y0']);
    const running = await queries.listExecutions({ states: ['RUNNING'] });
    expect(running.nodes.map((n) => n.id)).toEqual(['x5', 'x3', 'x1']);
    expect(running.totalCount).toBe(3);
    expect((await queries.listExecutions({ namespace: 'nowhere' })).nodes).toEqual([]);
  });

  it('loads the task runs of a whole page in one query, whatever its size', async () => {
    for (const first of [1, 3, 7]) {
      h.counter.reset();
      const page = await queries.listExecutions({ namespace: 'benchmarks', first });
      expect(page.nodes).toHaveLength(first);
      expect(page.nodes.every((n) => n.taskRuns.length > 0)).toBe(true);
      expect(h.counter.count('FROM task_runs')).toBe(1);
      expect(h.counter.queries).toHaveLength(3);
    }
    const page = await queries.listExecutions({ flowId: 'benchmark01', first: 2 });
    expect(page.nodes[0].taskRuns.map((t) => t.taskId)).toEqual(['concatenate', 'hello']);
    expect(page.nodes[1].taskRuns.map((t) => [t.taskId, t.state])).toEqual([['concatenate', 'RUNNING']]);
  });

  it('answers an empty page and rejects a cursor it did not issue', async () => {
    const empty = await queries.listExecutions({ first: 0 });
    expect(empty).toEqual({ nodes: [], hasNextPage: true, endCursor: undefined, totalCount: 8 });
    await expect(queries.listExecutions({ after: 'not a cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('reads one execution with its task runs in two queries', async () => {
    h.counter.reset();
    const view = await queries.getExecution('x3');
    expect(h.counter.queries).toHaveLength(2);
    expect(view).toMatchObject({ id: 'x3', state: 'RUNNING', revision: 3, taskRuns: [{ taskId: 'concatenate', attempts: [{ number: 1, state: 'RUNNING' }] }] });
    expect(view!.endDate).toBeUndefined();
    expect(await queries.getExecution('missing')).toBeUndefined();
  });

  it('reads the checkpoint of a projection', async () => {
    expect(await queries.checkpoint()).toBe(projector.position());
    expect(await queries.checkpoint('nobody')).toBeUndefined();
  });
});
