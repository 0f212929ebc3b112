import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnerOf } from '../catalog.js';
import { ioTestServices } from '../test-support/io-test-services.js';

let io: Awaited<ReturnType<typeof ioTestServices>>;
beforeAll(async () => {
  io = await ioTestServices('state_tasks');
});
afterAll(async () => io.close());

const run = (type: string, properties: Record<string, unknown>, value?: string) =>
  runnerOf(type)!(io.context(type, properties as never, value === undefined ? {} : { renderContext: { taskrun: { value } } as never }).context);

// Kestra: core/src/test/java/io/kestra/plugin/core/state/StateTest.java
describe('state tasks (kept in the KV store, as Kestra\'s StateStore does)', () => {
  it('Set merges, Get reads, Delete removes', async () => {
    expect(await run('state.Set', { data: { first: '1', nested: { a: 1 } } })).toEqual({ count: 2, key: 'etl_states_tasks-states_default' });
    expect(await run('state.Set', { data: { second: '2', nested: { b: 2 } } })).toMatchObject({ count: 3 });
    expect(await run('state.Get', {})).toEqual({ count: 3, data: { first: '1', second: '2', nested: { a: 1, b: 2 } } });
    expect((await io.services.kv.get('company.team', 'etl_states_tasks-states_default', io.clock.now))?.value).toMatchObject({ first: '1' });
    expect(await run('state.Delete', {})).toEqual({ deleted: true });
    expect(await run('state.Get', {})).toEqual({ count: 0, data: {} });
    await expect(run('state.Get', { errorOnMissing: true })).rejects.toThrow('State etl_states_tasks-states_default not found');
    await expect(run('state.Delete', { errorOnMissing: true })).rejects.toThrow("Unable to find the state file 'default'");
  });

  it('keeps one state per loop value and per name, and a namespace-wide one with namespace: true', async () => {
    await run('state.Set', { name: 'n', data: { v: 'a' } }, 'a');
    await run('state.Set', { name: 'n', data: { v: 'b' } }, 'b');
    expect((await run('state.Get', { name: 'n' }, 'a')).data).toEqual({ v: 'a' });
    expect((await run('state.Get', { name: 'n', taskrunValue: false }, 'a')).data).toEqual({});
    expect((await run('state.Set', { name: 'shared', namespace: true, data: { x: 1 } })).key).toBe('states_tasks-states_shared');
  });
});
