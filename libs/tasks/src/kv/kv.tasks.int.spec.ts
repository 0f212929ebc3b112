import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnerOf } from '../catalog.js';
import { ioTestServices } from '../test-support/io-test-services.js';

let io: Awaited<ReturnType<typeof ioTestServices>>;
beforeAll(async () => {
  io = await ioTestServices('kv_tasks');
});
afterAll(async () => io.close());

const run = (type: string, properties: Record<string, unknown>) => runnerOf(type)!(io.context(type, properties as never).context);

// Kestra: core/src/test/java/io/kestra/plugin/core/kv/{Set,Get,GetKeys,Delete}Test.java
describe('kv tasks (real Postgres)', () => {
  it('Set then Get in the flow\'s namespace; Get of a missing key has no value, or fails with errorOnMissing', async () => {
    expect(await run('kv.Set', { key: 'my-key', value: 'test-value' })).toEqual({});
    expect(await run('kv.Get', { key: 'my-key' })).toEqual({ value: 'test-value' });
    expect((await io.services.kv.get('company.team', 'my-key', io.clock.now))?.expiresAt).toBeUndefined();
    expect(await run('kv.Get', { key: 'no-such-key' })).toEqual({});
    await expect(run('kv.Get', { key: 'no-such-key', errorOnMissing: true })).rejects.toThrow(
      "No value found for key 'no-such-key' in namespace 'company.team' and `errorOnMissing` is set to true",
    );
  });

  it('Set in another namespace, with a TTL, and refuses to overwrite when told not to', async () => {
    await run('kv.Set', { key: 'ttl-key', value: 'v', namespace: 'io.kestra.other', ttl: 'PT5M' });
    expect((await io.services.kv.get('io.kestra.other', 'ttl-key', io.clock.now))?.expiresAt).toBe('2026-01-01T00:05:00.000Z');
    await expect(run('kv.Set', { key: 'ttl-key', value: 'w', namespace: 'io.kestra.other', overwrite: false })).rejects.toThrow(
      "Cannot set value for key 'ttl-key'. Key already exists and `overwrite` is set to `false`.",
    );
  });

  it('Set converts the rendered string by kvType (SetTest typedValue)', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['NUMBER', '123.45', 123.45], ['BOOLEAN', 'true', true], ['DATETIME', '2023-05-02T01:02:03Z', '2023-05-02T01:02:03.000Z'],
      ['DURATION', 'P1DT5S', 86405], ['JSON', '[{"some":"value"},{"another":"value"}]', [{ some: 'value' }, { another: 'value' }]], ['STRING', 'x', 'x'],
    ];
    for (const [kvType, value, expected] of cases) {
      await run('kv.Set', { key: 'typed', value, kvType });
      expect((await run('kv.Get', { key: 'typed' })).value).toEqual(expected);
    }
    await expect(run('kv.Set', { key: 'typed', value: 'abc', kvType: 'NUMBER' })).rejects.toThrow('is not a NUMBER');
  });

  it('GetKeys lists the namespace\'s keys, by prefix; Delete says whether it deleted', async () => {
    await run('kv.Set', { key: 'a1', value: '1', namespace: 'keys.ns' });
    await run('kv.Set', { key: 'a2', value: '2', namespace: 'keys.ns' });
    await run('kv.Set', { key: 'b1', value: '3', namespace: 'keys.ns' });
    expect(await run('kv.GetKeys', { namespace: 'keys.ns' })).toEqual({ keys: ['a1', 'a2', 'b1'] });
    expect(await run('kv.GetKeys', { namespace: 'keys.ns', prefix: 'a' })).toEqual({ keys: ['a1', 'a2'] });
    expect(await run('kv.Delete', { namespace: 'keys.ns', key: 'a1' })).toEqual({ deleted: true });
    expect(await run('kv.Delete', { namespace: 'keys.ns', key: 'a1' })).toEqual({ deleted: false });
    await expect(run('kv.Delete', { namespace: 'keys.ns', key: 'a1', errorOnMissing: true })).rejects.toThrow("No value found for key 'a1'");
    await expect(run('kv.Set', { key: '.bad', value: 'x' })).rejects.toThrow('must start with an alphanumeric character');
  });

  it('an expired value reads as missing', async () => {
    await run('kv.Set', { key: 'short', value: 'v', ttl: 'PT1S' });
    io.clock.now = '2026-01-01T00:00:02.000Z';
    expect(await run('kv.Get', { key: 'short' })).toEqual({});
    io.clock.now = '2026-01-01T00:00:00.000Z';
  });
});
