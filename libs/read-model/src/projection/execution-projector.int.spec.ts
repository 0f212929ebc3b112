import { randomUUID } from 'node:crypto';
import { evolve, withoutSavepointSnapshots, type Execution } from '@chronicle/domain';
import type { EventData } from '@chronicle/event-store';
import { EVENTS_CHANNEL } from '@chronicle/event-store/postgres';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { resetExecutionProjection } from '../setup/reset-projection.js';
import { benchmark01Events, executionStream, flowDeployed } from '../test-support/benchmark01.events.js';
import { eventually, recordingLogger, startHarness, TOPICS, type Harness, type RecordingLogger } from '../test-support/read-model.harness.js';
import { ExecutionProjector, type ExecutionProjectorOptions } from './execution-projector.js';
import type { ExecutionUpdate, FlowUpdate } from './live-updates.js';
import type { ExecutionView } from '../queries/read-model.views.js';
import { applyExecutionViewChange } from '../views/execution-view.delta.js';
import { toExecutionView } from '../views/execution-view.mapping.js';
import { dumpRebuiltTables } from '../test-support/read-model.dump.js';

/** The domain's fold, as the read model stores it (savepoints listed, their snapshots left with the executor). */
const fold = (events: readonly EventData[]): Execution =>
  withoutSavepointSnapshots(events.reduce<Execution | undefined>((state, e) => evolve(state, { type: e.type, data: e.data } as Parameters<typeof evolve>[1]), undefined)!);

describe('ExecutionProjector', () => {
  let h: Harness;
  let queries: ReadModelQueries;
  let logger: RecordingLogger;
  const projectors: ExecutionProjector[] = [];

  const projector = (options: ExecutionProjectorOptions = {}): ExecutionProjector => {
    const p = new ExecutionProjector(h.dataSource, h.store, h.bus, { topicPrefix: 'test', logger, backoff: { initialDelayMs: 10, maxDelayMs: 50 }, ...options });
    projectors.push(p);
    return p;
  };
  const executionUpdates = (id?: string) =>
    h.updates.map((m) => m.value).filter((v): v is ExecutionUpdate => v.kind === 'execution' && (id === undefined || v.executionId === id));

  /** The read model's tables and checkpoint, as a Postgres crash that loses later commits would leave them. */
  const CRASH_TABLES = ['executions', 'task_runs', 'flows', 'flow_revisions', 'audit_log', 'execution_stats', 'execution_stats_hourly', 'projection_checkpoints'];
  const keepReadModel = () =>
    h.dataSource.transaction(async (m) => {
      for (const table of CRASH_TABLES) await m.query(`CREATE TABLE "kept_${table}" AS TABLE "${table}"`);
    });
  /** The crash, behind the running projector's back: the tables put back as kept. */
  const restoreKeptReadModel = () =>
    h.dataSource.transaction(async (m) => {
      // The checkpoint's row lock first, as a batch takes it: no batch runs meanwhile.
      await m.query('SELECT name FROM projection_checkpoints FOR UPDATE');
      await m.query(`TRUNCATE ${CRASH_TABLES.map((t) => `"${t}"`).join(', ')}`);
      for (const table of CRASH_TABLES) await m.query(`INSERT INTO "${table}" SELECT * FROM "kept_${table}"`);
    });

  beforeEach(async () => {
    h = await startHarness();
    queries = new ReadModelQueries(h.dataSource);
    logger = recordingLogger();
  });
  afterEach(async () => {
    for (const p of projectors.splice(0)) await p.stop();
    await h.close();
  });

  it('projects a full benchmark01 execution into rows and the folded doc', async () => {
    const events = benchmark01Events('e1');
    const position = await h.append(executionStream('e1'), events);
    const p = projector();
    await p.start();
    await p.waitForPosition(position, 10_000);

    const view = await queries.getExecution('e1');
    expect(view).toMatchObject({
      id: 'e1', namespace: 'benchmarks', flowId: 'benchmark01', flowRevision: 1, state: 'SUCCESS',
      inputs: { name: 'World' }, outputs: { greeting: 'Hello World' }, labels: { team: 'bench' }, originalId: 'e1',
      startDate: '2025-01-01T12:00:00.000Z', endDate: '2025-01-01T12:00:08.000Z', revision: 8,
    });
    expect(view!.parentId).toBeUndefined();
    expect(view!.stateHistory.map((c) => c.state)).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);
    expect(view!.taskRuns.map((t) => [t.id, t.taskId, t.state])).toEqual([
      ['e1-concatenate', 'concatenate', 'SUCCESS'],
      ['e1-hello', 'hello', 'SUCCESS'],
    ]);
    expect(view!.taskRuns[0].outputs).toEqual({ values: { message: 'Hello World' } });
    expect(view!.taskRuns[0].attempts).toEqual([
      { number: 1, state: 'SUCCESS', startDate: '2025-01-01T12:00:03.000Z', endDate: '2025-01-01T12:00:04.000Z' },
    ]);

    const [row] = await h.dataSource.query('SELECT doc, revision, state FROM executions WHERE id = $1', ['e1']);
    expect(row.doc).toEqual(fold(events));
    expect(await queries.checkpoint()).toBe(position);
    expect(p.position()).toBe(position);
  });

  it('writes a batch with the same few statements whatever the number of executions in it', async () => {
    let position = 0n;
    for (const id of ['a', 'b', 'c', 'd', 'e']) position = await h.append(executionStream(id), benchmark01Events(id));
    h.counter.reset();
    const p = projector();
    await p.start();
    await p.waitForPosition(position, 10_000);
    // The purge check and the stored rows: one query; rows, task runs, audit lines and stats counters: one statement.
    expect(h.counter.count('LEFT JOIN executions e')).toBe(1);
    expect(h.counter.count('LEFT JOIN purged_executions p')).toBe(1);
    expect(h.counter.count('INSERT INTO executions')).toBe(1);
    expect(h.counter.count('INSERT INTO task_runs')).toBe(1);
    expect(h.counter.count('INSERT INTO projection_checkpoints')).toBe(1);
    expect(h.counter.count('INSERT INTO audit_log')).toBe(1);
    expect(h.counter.count('INSERT INTO execution_stats ')).toBe(1);
    expect(h.counter.count('INSERT INTO execution_stats_hourly')).toBe(1);
    expect(h.counter.count('WITH w0 AS (INSERT INTO executions')).toBe(1);
    // The start's checkpoint read, then per batch: begin with the checkpoint, load, the combined write with commit.
    expect(h.counter.queries.length).toBeLessThanOrEqual(4);
    const page = await queries.listExecutions({ first: 10 });
    expect(page.nodes.map((n) => n.id)).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('commits its batches without waiting for the WAL flush, and only them', async () => {
    // The test server may run without synchronous commits: this database's sessions get them back.
    const [{ db }] = await h.dataSource.query('SELECT current_database() AS db');
    await h.dataSource.query(`ALTER DATABASE "${db}" SET synchronous_commit = on`);
    await h.dataSource.destroy();
    await h.dataSource.initialize();
    // What each transaction's commit was set to, seen from inside it by a trigger on the rows it writes.
    await h.dataSource.query(`CREATE TABLE commit_modes (mode text, session_default text);
      CREATE FUNCTION record_commit_mode() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO commit_modes SELECT current_setting('synchronous_commit'), reset_val FROM pg_settings WHERE name = 'synchronous_commit';
          RETURN NULL;
        END $$;
      CREATE TRIGGER executions_commit_mode AFTER INSERT OR UPDATE ON executions FOR EACH ROW EXECUTE FUNCTION record_commit_mode();`);
    const p = projector();
    await p.start();
    let position = 0n;
    for (const id of ['s1', 's2']) position = await h.append(executionStream(id), benchmark01Events(id));
    await p.waitForPosition(position, 10_000);
    const modes: { mode: string; session_default: string }[] = await h.dataSource.query('SELECT DISTINCT mode, session_default FROM commit_modes');
    expect(modes).toEqual([{ mode: 'off', session_default: 'on' }]);
    // Only the batch's own transaction: the connections it ran on commit durably again afterwards.
    const after = await Promise.all([1, 2, 3].map(() => h.dataSource.transaction((m) => m.query(`SELECT current_setting('synchronous_commit') AS mode`))));
    expect(after.map((rows) => rows[0].mode)).toEqual(['on', 'on', 'on']);
  });

  it('projects again what commits lost in a Postgres crash held: its checkpoint found behind its last commit, it resubscribes from the checkpoint and ends as a fresh fold', async () => {
    const p = projector();
    await p.start();
    await h.append('flow-benchmarks.benchmark01', [flowDeployed(1)]);
    const l1 = benchmark01Events('l1');
    const kept = await h.append(executionStream('l1'), l1.slice(0, 4));
    await p.waitForPosition(kept, 30_000);
    // The read model as committed up to `kept`: what a crash that loses the commits after it leaves.
    await keepReadModel();
    await h.append(executionStream('l1'), l1.slice(4));
    const lost = await h.append(executionStream('l2'), benchmark01Events('l2'));
    await p.waitForPosition(lost, 30_000);
    expect((await queries.getExecution('l2'))?.state).toBe('SUCCESS');

    // The crash, behind the running projector's back: the commits after `kept` are gone, rows and checkpoint.
    await restoreKeptReadModel();
    expect(await queries.checkpoint()).toBe(kept);
    expect(await queries.getExecution('l2')).toBeUndefined();
    expect(p.position()).toBe(lost);

    // The next batch finds the checkpoint behind the projector's last commit, and nothing is skipped.
    const next = await h.append(executionStream('l3'), benchmark01Events('l3'));
    await p.waitForPosition(next, 30_000);
    expect(logger.warnings.some((w) => w.includes('checkpoint is behind the last committed batch'))).toBe(true);
    for (const id of ['l1', 'l2', 'l3']) expect(await queries.getExecution(id)).toMatchObject({ state: 'SUCCESS', revision: 8 });
    const [row] = await h.dataSource.query('SELECT doc FROM executions WHERE id = $1', ['l1']);
    expect(row.doc).toEqual(fold(l1));
    expect(await queries.checkpoint()).toBe(next);
    // Every lost execution's newest state is announced again (its earlier updates went out before the crash).
    await eventually(() => executionUpdates('l2').filter((u) => u.revision === 8).length >= 2);
    await p.stop();

    // The same rows as a fresh fold of the whole log.
    const recovered = await dumpRebuiltTables(h.dataSource);
    await resetExecutionProjection(h.dataSource);
    const fresh = projector();
    await fresh.start();
    await fresh.waitForPosition(next, 30_000);
    expect(await dumpRebuiltTables(h.dataSource)).toEqual(recovered);
  });

  it('after its subscription failed (the log unreadable), reads its checkpoint before subscribing again: what a crash lost is projected again with no new append', async () => {
    const p = projector();
    await p.start();
    await h.append('flow-benchmarks.benchmark01', [flowDeployed(1)]);
    const kept = await h.append(executionStream('k1'), benchmark01Events('k1'));
    await p.waitForPosition(kept, 30_000);
    await keepReadModel();
    const lost = await h.append(executionStream('k2'), benchmark01Events('k2'));
    await p.waitForPosition(lost, 30_000);

    // The crash, behind its back: the commit after `kept` is gone, and the log cannot be read for a while.
    await restoreKeptReadModel();
    await h.dataSource.query('ALTER TABLE events RENAME TO events_away');
    try {
      // A wake without a notice: the subscription reads, fails its retries (about 3 s) and ends with an error.
      await h.dataSource.query(`NOTIFY ${EVENTS_CHANNEL}`);
      await eventually(() => logger.warnings.some((w) => w.includes('checkpoint is behind the last committed batch')), 30_000);
    } finally {
      await h.dataSource.query('ALTER TABLE events_away RENAME TO events');
    }
    // Nothing appended since: the new subscription starts from the stored checkpoint.
    await eventually(async () => (await queries.getExecution('k2'))?.state === 'SUCCESS', 30_000);
    expect(await queries.getExecution('k2')).toMatchObject({ state: 'SUCCESS', revision: 8 });
    expect(await queries.checkpoint()).toBe(lost);
    expect(p.position()).toBe(lost);
  });

  it('sends a batch in two round trips: BEGIN with the checkpoint and the load, the writes with COMMIT', async () => {
    const p = projector();
    await p.start();
    await p.waitForPosition(await h.append(executionStream('warm'), benchmark01Events('warm')), 10_000);
    h.counter.reset();
    let position = 0n;
    for (const id of ['r1', 'r2', 'r3']) {
      position = await h.append(executionStream(id), benchmark01Events(id));
      await p.waitForPosition(position, 10_000);
    }
    const batches = h.counter.count('BEGIN; WITH found AS');
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(h.counter.count('START TRANSACTION')).toBe(0);
    expect(h.counter.count('COMMIT')).toBe(batches);
    const opening = h.counter.queries.filter((q) => q.startsWith('BEGIN; WITH found AS') && q.includes('FROM unnest('));
    expect(opening).toHaveLength(batches);
    const writesWithCommit = h.counter.queries.filter((q) => q.startsWith('WITH w0 AS (INSERT INTO executions') && q.endsWith(';\nCOMMIT'));
    expect(writesWithCommit).toHaveLength(batches);
    expect(h.counter.queries.length).toBe(2 * batches);
    expect((await queries.getExecution('r3'))?.state).toBe('SUCCESS');
  });

  it('folds onto the stored rows it loads with BEGIN, whatever characters the execution ids hold', async () => {
    // Ids the array literal must escape: quotes, a backslash, a comma, braces, a space, NULL, non-ASCII.
    const ids = [`q"uote`, 'back\\slash', 'com,ma', '{brace}', 'sp ace', 'NULL', "it's", 'é✓'];
    const p = projector();
    await p.start();
    // Two batches per execution: the second folds onto the row the first stored, loaded by id.
    for (const id of ids) {
      const events = benchmark01Events(id);
      await p.waitForPosition(await h.append(executionStream(id), events.slice(0, 3)), 10_000);
      await p.waitForPosition(await h.append(executionStream(id), events.slice(3)), 10_000);
    }
    for (const id of ids) expect(await queries.getExecution(id)).toMatchObject({ id, state: 'SUCCESS', revision: 8 });
  });

  it('rolls a batch back whole when a statement sent with its COMMIT fails, then projects it', async () => {
    // One batch: an execution and a flow deploy, the flow's rows written after the combined write, in its message.
    await h.store.appendMany([
      { streamId: executionStream('x1'), events: benchmark01Events('x1'), expectedRevision: 'no_stream' },
      { streamId: 'flow-benchmarks.benchmark01', events: [flowDeployed(1)], expectedRevision: 'no_stream' },
    ]);
    const position = (await h.store.headPosition())!;
    await h.dataSource.query('ALTER TABLE flows RENAME TO flows_away');
    const p = projector();
    await p.start();
    await eventually(() => logger.warnings.length >= 2);
    const failed = h.counter.queries.filter((q) => q.startsWith('WITH w0 AS (INSERT INTO executions') && q.includes('INSERT INTO flows ') && q.endsWith(';\nCOMMIT'));
    expect(failed.length).toBeGreaterThanOrEqual(1);
    // The statements before the failing one, in the same message, are rolled back with it.
    expect(p.position()).toBeUndefined();
    expect(await queries.checkpoint()).toBeUndefined();
    for (const table of ['executions', 'task_runs', 'flow_revisions', 'audit_log', 'execution_stats']) {
      expect(await h.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 0 }]);
    }
    await h.dataSource.query('ALTER TABLE flows_away RENAME TO flows');
    await p.waitForPosition(position, 30_000);
    expect(await queries.getExecution('x1')).toMatchObject({ state: 'SUCCESS', revision: 8 });
    expect(await queries.getFlow('benchmarks', 'benchmark01')).toMatchObject({ revision: 1 });
  });

  it('gives the same rows whatever the batch boundaries', async () => {
    const events = benchmark01Events('e1');
    const position = await h.append(executionStream('e1'), events);
    const p = projector({ batchSize: 2 });
    await p.start();
    await p.waitForPosition(position, 10_000);
    const [row] = await h.dataSource.query('SELECT doc, revision FROM executions WHERE id = $1', ['e1']);
    expect(row).toEqual({ doc: fold(events), revision: 8 });
    const taskRuns = await h.dataSource.query('SELECT id, seq, state FROM task_runs ORDER BY seq');
    expect(taskRuns).toEqual([
      { id: 'e1-concatenate', seq: 0, state: 'SUCCESS' },
      { id: 'e1-hello', seq: 1, state: 'SUCCESS' },
    ]);
  });

  it('skips re-delivered events: a replay from an older checkpoint changes nothing', async () => {
    const position = await h.append(executionStream('e1'), benchmark01Events('e1'));
    const first = projector();
    await first.start();
    await first.waitForPosition(position, 10_000);
    await first.stop();
    const before = await h.dataSource.query('SELECT id, revision, seq, updated_at, doc FROM executions');
    const taskRunsBefore = await h.dataSource.query('SELECT * FROM task_runs ORDER BY id');
    await eventually(() => executionUpdates('e1').length > 0);
    const updatesBefore = executionUpdates().length;

    // As if the checkpoint had not been committed with the rows: everything is delivered again.
    await h.dataSource.query('DELETE FROM projection_checkpoints');
    const second = projector();
    await second.start();
    await second.waitForPosition(position, 10_000);

    expect(await h.dataSource.query('SELECT id, revision, seq, updated_at, doc FROM executions')).toEqual(before);
    expect(await h.dataSource.query('SELECT * FROM task_runs ORDER BY id')).toEqual(taskRunsBefore);
    expect(await queries.checkpoint()).toBe(position);

    // A marker event on the same key: once its update arrives, any update of the replay would have too.
    const marker: EventData = { id: randomUUID(), type: 'ExecutionLabelled', data: {}, metadata: { schemaVersion: 1, occurredAt: '2025-01-01T13:00:00.000Z' } };
    await second.waitForPosition(await h.append(executionStream('e1'), [marker]), 10_000);
    await eventually(() => executionUpdates('e1').some((u) => u.revision === 9));
    expect(executionUpdates().slice(updatesBefore).map((u) => u.events.map((e) => e.revision))).toEqual([[9]]);
  });

  it('rebuilds the same read model from the log after a reset', async () => {
    const events = benchmark01Events('e1');
    const position = await h.append(executionStream('e1'), events);
    await h.append('flow-benchmarks.benchmark01', [flowDeployed(1)]);
    const first = projector();
    await first.start();
    await first.waitForPosition(position, 10_000);
    await eventually(async () => (await queries.getFlow('benchmarks', 'benchmark01')) !== undefined);
    await first.stop();
    const before = await queries.getExecution('e1');

    await resetExecutionProjection(h.dataSource);
    expect(await queries.getExecution('e1')).toBeUndefined();
    expect(await queries.checkpoint()).toBeUndefined();
    const second = projector();
    await second.start();
    await second.waitForPosition(position, 10_000);
    expect(await queries.getExecution('e1')).toEqual(before);
    await eventually(async () => (await queries.getFlow('benchmarks', 'benchmark01'))?.revision === 1);
  });

  it('commits the checkpoint with the rows and resumes from it without duplicates', async () => {
    const events = benchmark01Events('e1');
    const firstPosition = await h.append(executionStream('e1'), events.slice(0, 5));
    const first = projector();
    await first.start();
    await first.waitForPosition(firstPosition, 10_000);
    await first.stop();
    expect(await queries.checkpoint()).toBe(firstPosition);
    const [{ revision, seq }] = await h.dataSource.query('SELECT revision, seq FROM executions WHERE id = $1', ['e1']);
    expect(revision).toBe(4);

    const lastPosition = await h.append(executionStream('e1'), events.slice(5));
    const second = projector();
    await second.start();
    await second.waitForPosition(lastPosition, 10_000);

    const rows = await h.dataSource.query('SELECT revision, seq, doc FROM executions');
    expect(rows).toEqual([{ revision: 8, seq, doc: fold(events) }]);
    expect(await h.dataSource.query('SELECT count(*)::int AS n FROM task_runs')).toEqual([{ n: 2 }]);
    await eventually(() => executionUpdates('e1').some((u) => u.revision === 8));
    const revisionsSeen = executionUpdates('e1').flatMap((u) => u.events.map((e) => e.revision));
    expect(revisionsSeen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('publishes one update per changed execution after the commit, with its state, the change of its view and its events', async () => {
    const p = projector();
    await p.start();
    const committedWhenSeen: boolean[] = [];
    await h.bus.consume<ExecutionUpdate>({ topic: TOPICS.updates, groupId: 'check-commit' }, async (message) => {
      const view = await queries.getExecution(message.value.executionId);
      committedWhenSeen.push(view !== undefined && view.revision >= message.value.revision);
    });
    const e1 = benchmark01Events('e1');
    const e2 = benchmark01Events('e2', { count: 3 });
    await h.append(executionStream('e1'), e1);
    const position = await h.append(executionStream('e2'), e2);
    await p.waitForPosition(position, 10_000);
    await eventually(() => executionUpdates().length >= 2 && executionUpdates('e2').some((u) => u.revision === 2));

    const last = executionUpdates('e1').at(-1)!;
    expect(last).toMatchObject({ kind: 'execution', executionId: 'e1', namespace: 'benchmarks', flowId: 'benchmark01', revision: 8 });
    // The updates carry the read side's view (never the domain Execution): the first whole, then deltas,
    // which rebuild the view of the log's fold, the view the read model answers.
    expect(last).not.toHaveProperty('execution');
    expect(last).toMatchObject({ state: 'SUCCESS', mode: 'PRODUCTIVE' });
    const updates = executionUpdates('e1');
    expect(updates[0]!.change.kind).toBe('view');
    expect(updates.slice(1).every((u) => u.change.kind === 'delta')).toBe(true);
    let rebuilt: ExecutionView | undefined;
    for (const u of updates) rebuilt = applyExecutionViewChange(rebuilt, u.change);
    expect(rebuilt).toEqual(toExecutionView(fold(e1)));
    expect(await queries.getExecution('e1')).toEqual(toExecutionView(fold(e1)));
    // A delta applies only to the view it was computed from.
    expect(applyExecutionViewChange(undefined, last.change)).toBeUndefined();
    expect(typeof last.position).toBe('string');
    expect(BigInt(last.position)).toBeLessThanOrEqual(position);
    const allEvents = executionUpdates('e1').flatMap((u) => u.events);
    expect(allEvents.map((e) => e.type)).toEqual(e1.map((e) => e.type));
    expect(allEvents[0]).toMatchObject({ revision: 0, type: 'ExecutionCreated', occurredAt: '2025-01-01T12:00:00.000Z', data: e1[0].data });
    expect(h.updates.every((m) => m.key === (m.value as ExecutionUpdate).executionId)).toBe(true);
    await eventually(() => committedWhenSeen.length >= executionUpdates().length);
    expect(committedWhenSeen.every(Boolean)).toBe(true);
  });

  it('calls onCommitted listeners with each committed position', async () => {
    const p = projector({ batchSize: 3 });
    const seen: bigint[] = [];
    const unsubscribe = p.onCommitted((position) => seen.push(position));
    const position = await h.append(executionStream('e1'), benchmark01Events('e1'));
    await p.start();
    await p.waitForPosition(position, 10_000);
    unsubscribe();
    expect(seen).toHaveLength(3);
    expect(seen.at(-1)).toBe(position);
    expect([...seen].sort((a, b) => (a < b ? -1 : 1))).toEqual(seen);
  });

  it('records an event evolve rejects, skips it and goes on', async () => {
    const events = benchmark01Events('e1');
    const bad: EventData = { ...events[3], id: randomUUID(), data: { taskRunId: 'nope', attempt: 1, at: '2025-01-01T12:00:03.500Z' } };
    const unknown: EventData = { ...events[3], id: randomUUID(), type: 'ExecutionLabelled', data: { labels: { a: 'b' } } };
    await h.append(executionStream('e1'), [...events.slice(0, 4), bad, unknown]);
    const position = await h.append(executionStream('e1'), events.slice(4).map((e) => ({ ...e })));
    const p = projector();
    await p.start();
    await p.waitForPosition(position, 10_000);

    const errors = await h.dataSource.query('SELECT stream_id, revision::int AS revision, type, error FROM projection_errors ORDER BY position');
    expect(errors[0]).toMatchObject({ stream_id: 'execution-e1', revision: 4, type: 'TaskRunStarted', error: expect.stringMatching(/nope/) });
    // An event type this projector does not know is either folded by the domain or recorded; never fatal.
    expect(errors.slice(1).map((e: { type: string }) => e.type)).toEqual(errors.length > 1 ? ['ExecutionLabelled'] : []);
    const view = await queries.getExecution('e1');
    expect(view).toMatchObject({ state: 'SUCCESS', revision: 10 });
    expect(logger.errors).toHaveLength(errors.length);
  });

  it('retries a batch the database rejects, then projects it', async () => {
    const p = projector();
    await p.start();
    await h.dataSource.query('ALTER TABLE task_runs RENAME TO task_runs_away');
    const position = await h.append(executionStream('e1'), benchmark01Events('e1'));
    await eventually(() => logger.warnings.length >= 2);
    expect(p.position()).toBeUndefined();
    expect(await h.dataSource.query('SELECT count(*)::int AS n FROM executions')).toEqual([{ n: 0 }]);
    await h.dataSource.query('ALTER TABLE task_runs_away RENAME TO task_runs');
    await p.waitForPosition(position, 10_000);
    expect(await queries.getExecution('e1')).toMatchObject({ state: 'SUCCESS', taskRuns: [{ state: 'SUCCESS' }, { state: 'SUCCESS' }] });
  });

  it('keeps the latest flow revision and every revision', async () => {
    const p = projector({ batchSize: 2 });
    await p.start();
    const stream = 'flow-benchmarks.benchmark01';
    await h.append(stream, [flowDeployed(1), flowDeployed(2, 'id: benchmark01\nnamespace: benchmarks\n# v2\n')]);
    const position = await h.append(stream, [flowDeployed(3, 'id: benchmark01\nnamespace: benchmarks\n# v3\n')]);
    await p.waitForPosition(position, 10_000);

    expect(await queries.getFlow('benchmarks', 'benchmark01')).toMatchObject({ revision: 3, source: 'id: benchmark01\nnamespace: benchmarks\n# v3\n' });
    expect(await queries.getFlow('benchmarks', 'benchmark01', 2)).toMatchObject({ revision: 2, source: expect.stringContaining('# v2') });
    expect((await queries.getFlow('benchmarks', 'benchmark01', 1))!.definition).toMatchObject({ id: 'benchmark01', revision: 1 });
    expect(await queries.getFlow('benchmarks', 'benchmark01', 4)).toBeUndefined();
    expect((await queries.listFlowRevisions('benchmarks', 'benchmark01')).map((f) => f.revision)).toEqual([1, 2, 3]);
    expect((await queries.listFlows()).map((f) => [f.namespace, f.id, f.revision])).toEqual([['benchmarks', 'benchmark01', 3]]);
    expect(await queries.listFlows('other')).toEqual([]);
    await eventually(() => h.updates.some((m) => m.value.kind === 'flow' && m.value.revision === 3));
    const flowUpdates = h.updates.map((m) => m.value).filter((v): v is FlowUpdate => v.kind === 'flow');
    expect(flowUpdates.at(-1)).toEqual({ kind: 'flow', namespace: 'benchmarks', flowId: 'benchmark01', revision: 3 });
  });
});
