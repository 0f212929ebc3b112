import { describe, expect, it } from 'vitest';
import { TASK_CATALOG } from '../catalog.js';
import { propertyIssues } from '../test-support/deploy-issues.js';

describe('Script module (deploy-time checks)', () => {
  it('is known by its short and full names', () => {
    expect(TASK_CATALOG.find('io.chronicle.plugin.core.script.Script')).toMatchObject({ name: 'Script', kind: 'runnable' });
  });

  it('accepts its properties and names each bad one', () => {
    expect(propertyIssues('Script', { script: 'return 1', timeout: 'PT2S', memoryLimitMb: 32 })).toEqual([]);
    expect(propertyIssues('Script', { timeout: 'PT', memoryLimitMb: 4096 })).toEqual([
      ': required property "script" is missing',
      'timeout: must be an ISO-8601 duration such as PT10S (or milliseconds)',
      'memoryLimitMb: must be a number from 1 to 512',
    ]);
  });
});
