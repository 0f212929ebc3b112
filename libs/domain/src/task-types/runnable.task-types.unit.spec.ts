import { describe, expect, it } from 'vitest';
import { findTaskType } from './registry.js';

const issues = (type: string, properties: Record<string, unknown>) => findTaskType(type)!.validate(properties as never).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('runnable task types (Fail, Return, Echo, Request, Script)', () => {
  it('are known by their short and Kestra full names', () => {
    for (const [short, full] of [
      ['Fail', 'io.kestra.plugin.core.execution.Fail'],
      ['Return', 'io.kestra.plugin.core.debug.Return'],
      ['Echo', 'io.kestra.plugin.core.debug.Echo'],
      ['Request', 'io.kestra.plugin.core.http.Request'],
      ['Script', 'io.chronicle.plugin.core.script.Script'],
    ]) {
      expect(findTaskType(short!)).toMatchObject({ name: short, kind: 'runnable' });
      expect(findTaskType(full!)?.name).toBe(short);
    }
  });

  it('accept well-formed properties, and expressions wherever a value is checked', () => {
    expect(issues('Fail', {})).toEqual([]);
    expect(issues('Fail', { condition: '{{ inputs.fail }}', errorMessage: 'stop' })).toEqual([]);
    expect(issues('Return', { format: '{{ task.id }}' })).toEqual([]);
    expect(issues('Echo', { format: 'hi', level: 'warn' })).toEqual([]);
    expect(issues('Request', { uri: 'http://x/y', method: 'post', headers: { a: 'b' }, body: '{}', options: { connectTimeout: 'PT5S', readTimeout: 1000 } })).toEqual([]);
    expect(issues('Request', { uri: '{{ inputs.url }}', method: '{{ inputs.method }}', timeout: '{{ inputs.t }}' })).toEqual([]);
    expect(issues('Script', { script: 'return 1', timeout: 'PT2S', memoryLimitMb: 32 })).toEqual([]);
  });

  it('name each bad property', () => {
    expect(issues('Echo', { level: 'LOUD' })).toEqual([': required property "format" is missing', 'level: must be one of TRACE, DEBUG, INFO, WARN, ERROR']);
    expect(issues('Request', { method: 'FETCH', headers: ['a'], options: { connectTimeout: '5 seconds' } })).toEqual([
      ': required property "uri" is missing',
      'method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
      'headers: must be a mapping of names to values',
      'options.connectTimeout: must be an ISO-8601 duration such as PT10S (or milliseconds)',
    ]);
    expect(issues('Script', { timeout: 'PT', memoryLimitMb: 4096 })).toEqual([
      ': required property "script" is missing',
      'timeout: must be an ISO-8601 duration such as PT10S (or milliseconds)',
      'memoryLimitMb: must be a number from 1 to 512',
    ]);
    expect(issues('Fail', { errorMessage: ['x'] })).toEqual(['errorMessage: must be a string']);
  });
});
