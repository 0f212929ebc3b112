import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExecutionProjector } from '../projection/execution-projector.js';
import { readCheckpoint } from '../queries/checkpoint.queries.js';
import { ReadModelQueries } from '../queries/read-model-queries.js';
import { everyEventTypeLog } from '../test-support/every-event-type.log.js';
import { dumpRebuiltTables } from '../test-support/read-model.dump.js';
import { eventually, startHarness, type Harness } from '../test-support/read-model.harness.js';
import { rebuildProcess } from '../test-support/rebuild-process.js';
import { getRebuild } from './rebuild-state.js';

const quiet = { warn: () => undefined, error: () => undefined };

describe('projection rebuild after a crash', () => {
  let h: Harness;
  let live: ExecutionProjector;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    h = await startHarness();
    live = new ExecutionProjector(h.dataSource, h.store, h.bus, { topicPrefix: 'test', logger: quiet });
    await live.start();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await live.stop();
    await h.close();
  });

  it('is SIGKILLed mid-way, and a restarted process resumes it from the shadow checkpoint and swaps it in', async () => {
    for (const request of everyEventTypeLog(25)) await h.store.appendMany([request]);
    const head = (await h.store.headPosition())!;
    await live.waitForPosition(head, 30_000);
    const before = await dumpRebuiltTables(h.dataSource);
    await h.dataSource.query(`UPDATE executions SET state = 'DAMAGED' WHERE id = 'ok-00007'`);
    await new ReadModelQueries(h.dataSource).requestProjectionRebuild('executions', 'test');

    // Slow reads, small batches: the first process is still replaying when it is killed.
    const first = rebuildProcess(h.db.url, 40, 40);
    children.push(first.child);
    await eventually(async () => {
      const row = await getRebuild(h.dataSource, 'executions');
      return row?.state === 'RUNNING' && row.position !== undefined && BigInt(row.position) > head / 4n;
    }, 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');

    const interrupted = (await getRebuild(h.dataSource, 'executions'))!;
    expect(interrupted).toMatchObject({ state: 'RUNNING', runs: 1 });
    const shadowCheckpoint = (await h.dataSource.query(`SELECT position::text AS position FROM read_model_shadow.projection_checkpoints WHERE name = 'executions'`)) as { position: string }[];
    const killedAt = BigInt(shadowCheckpoint[0]!.position);
    expect(killedAt).toBeGreaterThan(0n);
    expect(killedAt).toBeLessThan(head);
    // The live tables were not touched meanwhile.
    expect((await h.dataSource.query(`SELECT state FROM executions WHERE id = 'ok-00007'`))[0].state).toBe('DAMAGED');

    const second = rebuildProcess(h.db.url, 500, 0);
    children.push(second.child);
    expect(await second.exited, second.output.join('')).toBe(0);

    const done = (await getRebuild(h.dataSource, 'executions'))!;
    expect(done).toMatchObject({ state: 'DONE', runs: 2, resumedFrom: killedAt.toString(), position: head.toString() });
    expect(await dumpRebuiltTables(h.dataSource)).toEqual(before);
    expect(await readCheckpoint(h.dataSource.manager, 'executions')).toBe(head);
  });
});
