import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnerOf } from '../catalog.js';
import { ioTestServices } from '../test-support/io-test-services.js';

let io: Awaited<ReturnType<typeof ioTestServices>>;
beforeAll(async () => {
  io = await ioTestServices('templated_task');
});
afterAll(async () => io.close());

const renderContext = { inputs: { who: 'world' }, outputs: {}, execution: { id: 'e1' }, flow: { id: 'etl', namespace: 'company.team' }, labels: {} } as never;
const run = (spec: string) => {
  const made = io.context('templating.TemplatedTask', { spec }, { renderContext });
  return { ...made, result: runnerOf('templating.TemplatedTask')!(made.context) };
};

// Kestra: core/src/test/java/io/kestra/plugin/core/templating/TemplatedTaskTest.java (a templated Return / Debug task)
describe('templating.TemplatedTask', () => {
  it('runs the runnable task its spec describes, which renders its own properties', async () => {
    expect(await run('type: io.kestra.plugin.core.debug.Return\nformat: "{{ inputs.who }}"').result).toEqual({ value: 'world' });
    const kv = run('type: io.kestra.plugin.core.kv.Set\nkey: templated\nvalue: "v"');
    expect(await kv.result).toEqual({});
    expect((await io.services.kv.get('company.team', 'templated', io.clock.now))?.value).toBe('v');
  });

  it('fails with the reason when the spec is not a runnable task Chronicle knows', async () => {
    await expect(run('type: io.kestra.plugin.core.templating.TemplatedTask\nspec: x').result).rejects.toThrow("The templated task cannot be of type 'io.kestra.plugin.core.templating.TemplatedTask'");
    await expect(run('type: io.kestra.plugin.core.flow.Sequential\ntasks:\n  - { id: a, type: Log, message: x }').result).rejects.toThrow('The templated task must be a runnable task');
    await expect(run('type: nope.Task').result).rejects.toThrow('the rendered spec is not a valid task: type: unknown task type "nope.Task"');
    await expect(run('type: io.kestra.plugin.core.kv.Set\nvalue: x').result).rejects.toThrow('required property "key" is missing');
    await expect(run('type: io.kestra.plugin.core.debug.Return\nformat: x\nretry: { type: constant, interval: PT1S, maxAttempt: 2 }').result).rejects.toThrow('retry in the spec would not apply');
    await expect(run('{ not yaml').result).rejects.toThrow('the rendered spec is not YAML');
  });
});
