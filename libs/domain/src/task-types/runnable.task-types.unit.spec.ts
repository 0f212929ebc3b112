import { describe, expect, it } from 'vitest';
import { CORE_TASK_CATALOG } from './core-task-catalog.js';

const issues = (type: string, properties: Record<string, unknown>) => CORE_TASK_CATALOG.find(type)!.validate(properties as never).map((i: { path: readonly (string | number)[]; message: string }) => `${i.path.join('.')}: ${i.message}`);

describe('pure runnable task types (Fail, Return, Echo)', () => {
  it('are known by their short and Kestra full names', () => {
    for (const [short, full] of [
      ['Fail', 'io.kestra.plugin.core.execution.Fail'],
      ['Return', 'io.kestra.plugin.core.debug.Return'],
      ['Echo', 'io.kestra.plugin.core.debug.Echo'],
    ]) {
      expect(CORE_TASK_CATALOG.find(short!)).toMatchObject({ name: short, kind: 'runnable' });
      expect(CORE_TASK_CATALOG.find(full!)?.name).toBe(short);
    }
  });

  it('accept well-formed properties, and expressions wherever a value is checked', () => {
    expect(issues('Fail', {})).toEqual([]);
    expect(issues('Fail', { condition: '{{ inputs.fail }}', errorMessage: 'stop' })).toEqual([]);
    expect(issues('Return', { format: '{{ task.id }}' })).toEqual([]);
    expect(issues('Echo', { format: 'hi', level: 'warn' })).toEqual([]);
  });

  it('name each bad property', () => {
    expect(issues('Echo', { level: 'LOUD' })).toEqual([': required property "format" is missing', 'level: must be one of TRACE, DEBUG, INFO, WARN, ERROR']);
    expect(issues('Fail', { errorMessage: ['x'] })).toEqual(['errorMessage: must be a string']);
  });
});
