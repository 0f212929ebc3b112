import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostCallPending, renderWithHostCalls } from '@chronicle/domain';
import { namespaceFileUri } from '@chronicle/use-cases';
import { hostFetch, maskSecretValues, withDeferredRendered } from './deferred-properties.js';
import { ioTestServices } from './test-support/io-test-services.js';

let io: Awaited<ReturnType<typeof ioTestServices>>;
beforeAll(async () => {
  io = await ioTestServices('host_calls', { storage: 'postgres', env: { SECRET_MY_SECRET: Buffer.from('secretValue').toString('base64') } });
});
afterAll(async () => io.close());

// The host side of docs/expression-host-functions.md, against the real stores.
describe('the worker\'s expression host', () => {
  it('answers kv, secret, read, fileSize and fileExists from the KV store, the secrets and the internal storage', async () => {
    const fetch = hostFetch(io.services);
    await io.services.kv.put('company.team', 'my_key', { a: 1 }, { now: io.clock.now });
    expect(await fetch('kv', { namespace: 'company.team', key: 'my_key', fromNamespace: 'company.team' })).toEqual({ a: 1 });
    expect(await fetch('kv', { namespace: 'company.team', key: 'missing', fromNamespace: 'company.team' })).toBeUndefined();
    expect(await fetch('secret', { namespace: 'company.team', key: 'my_secret' })).toBe('secretValue');
    await expect(fetch('secret', { namespace: 'company.team', key: 'nope' })).rejects.toThrow("Cannot find secret for key 'nope'.");
    const uri = 'kestra:///company/team/etl/executions/e1/tasks/t/e1.0/hello.txt';
    await io.services.storage.put(uri, Buffer.from('héllo'));
    expect(await fetch('read', { kind: 'internal-storage', uri })).toBe('héllo');
    expect(await fetch('fileSize', { kind: 'internal-storage', uri })).toBe(6);
    expect(await fetch('fileExists', { kind: 'internal-storage', uri })).toBe(true);
    expect(await fetch('fileExists', { kind: 'internal-storage', uri: `${uri}.not` })).toBe(false);
    await expect(fetch('fileSize', { kind: 'internal-storage', uri: `${uri}.not` })).rejects.toThrow('does not exist');
    await io.services.storage.put(namespaceFileUri('company.team', 'scripts/a.sql'), Buffer.from('select 1'));
    expect(await fetch('read', { kind: 'namespace-file', namespace: 'company.team', path: '/scripts/a.sql' })).toBe('select 1');
  });

  it('feeds renderWithHostCalls: a miss is fetched from the stores and the render runs again', async () => {
    await io.services.kv.put('n', 'greeting', 'hello', { now: io.clock.now });
    const rendered = await renderWithHostCalls((host) => `${String(host.kv!({ namespace: 'n', key: 'greeting', fromNamespace: 'n' }))} world`, hostFetch(io.services));
    expect(rendered).toBe('hello world');
    expect(() => ({ kv: () => { throw new HostCallPending('kv', {}); } }).kv()).toThrow(HostCallPending);
  });

  it('renders a job\'s deferred properties against its dispatch variables; a failure names the property', async () => {
    const job = {
      executionId: 'e1', taskRunId: 'e1.0', taskId: 'greet', attempt: 1, type: 'Log',
      properties: { message: 'hi {{ inputs.who }} at {{ now() }}', level: 'INFO' }, deferred: ['message'],
      renderContext: { inputs: { who: 'world' }, outputs: {}, execution: { id: 'e1', startDate: 'x', originalId: 'e1' }, flow: { id: 'f', namespace: 'n', revision: 1 }, labels: {}, now: '2026-01-01T00:00:00.000Z' },
    };
    expect((await withDeferredRendered(job, io.services)).properties).toEqual({ message: 'hi world at 2026-01-01T00:00:00.000000Z', level: 'INFO' }); // now() formats as Kestra's iso (micro-seconds)
    await expect(withDeferredRendered({ ...job, properties: { message: '{{ inputs.nobody }}' } }, io.services)).rejects.toThrow('task greet, property "message":');
  });

  it('masks secret values in log lines', () => {
    expect(maskSecretValues('token=s3cr3t and again s3cr3t', ['s3cr3t'])).toBe('token=****** and again ******');
  });
});
