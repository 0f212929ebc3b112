import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/read-model.harness.js';
import { advanceCheckpoint } from './checkpoint.writer.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const modeIn = async (query: (sql: string) => Promise<{ mode: string }[]>): Promise<string> => (await query("SELECT current_setting('synchronous_commit') AS mode"))[0]!.mode;

describe('advanceCheckpoint', () => {
  it('moves the checkpoint forward only, and lets the batch transaction commit without waiting for the WAL flush', async () => {
    await h.dataSource.transaction(async (manager) => {
      // The test server may run without synchronous commits altogether: the batch must turn them off itself.
      await manager.query('SET LOCAL synchronous_commit = on');
      expect(await advanceCheckpoint(manager, 'checkpoint-writer-spec', 5n)).toBe(true);
      expect(await modeIn((sql) => manager.query(sql))).toBe('off');
    });
    await h.dataSource.transaction(async (manager) => {
      expect(await advanceCheckpoint(manager, 'checkpoint-writer-spec', 4n)).toBe(false);
      expect(await advanceCheckpoint(manager, 'checkpoint-writer-spec', 5n)).toBe(false);
    });
    const rows: { position: string }[] = await h.dataSource.query("SELECT position FROM projection_checkpoints WHERE name = 'checkpoint-writer-spec'");
    expect(rows.map((r) => r.position)).toEqual(['5']);
  });
});
