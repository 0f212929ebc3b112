import type { JsonObject } from '@chronicle/domain';
import { describe, expect, it } from 'vitest';
import { assertTask } from './assert.task.js';
import { taskContext } from '../test-support/task-test-context.js';

// Kestra's AssertTest (core/src/test/java/io/kestra/plugin/core/execution/AssertTest.java): the conditions
// reach the worker unrendered and are rendered with the dispatch's variables.
const run = (conditions: string[], renderContext: JsonObject, errorMessage?: string) =>
  taskContext('execution.Assert', { conditions, ...(errorMessage !== undefined ? { errorMessage } : {}) }, { renderContext } as never);

describe('Assert (io.kestra.plugin.core.execution.Assert)', () => {
  it('succeeds when every condition renders truthy, counting them', async () => {
    const t = run(['{{ inputs.key == "value" }}', '{{ 42 }}'], { inputs: { key: 'value' } });
    await expect(assertTask(t.context)).resolves.toEqual({});
    expect(t.metrics).toEqual([{ name: 'success', type: 'counter', value: 2 }, { name: 'failed', type: 'counter', value: 0 }]);
    expect(t.logs).toEqual([]);
  });

  it('fails naming how many failed, logs each failed one, and counts both (AssertTest: 2 assertions failed, 3 and 2)', async () => {
    const t = run(
      ['{{ inputs.key == "value" }}', "{{ inputs.key == 'value1' }}", "{{ inputs.key == 'value2' }}", '{{ 1 == 1 }}', 'true'],
      { inputs: { key: 'value' } }, 'see the inputs',
    );
    await expect(assertTask(t.context)).rejects.toThrow('2 assertions failed!\nsee the inputs');
    expect(t.logs.map((l) => l.level)).toEqual(['ERROR', 'ERROR']);
    expect(t.logs.filter((l) => l.message.includes("inputs.key == 'value1'"))).toHaveLength(1);
    expect(t.logs.filter((l) => l.message.includes("inputs.key == 'value2'"))).toHaveLength(1);
    expect(t.metrics).toEqual([{ name: 'success', type: 'counter', value: 3 }, { name: 'failed', type: 'counter', value: 2 }]);
  });

  it('counts a condition that cannot render as failed, naming it', async () => {
    const t = run(['{{ inputs.missing }}'], { inputs: {} });
    await expect(assertTask(t.context)).rejects.toThrow('1 assertion failed!');
    expect(t.logs[0]!.message).toMatch(/^Assertion `\{\{ inputs.missing \}\}` failed, failed to render/);
  });
});
