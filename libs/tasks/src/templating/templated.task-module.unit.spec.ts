import { describe, expect, it } from 'vitest';
import { taskIssues as issues } from '../test-support/deploy-issues.js';

describe('TemplatedTask module (deploy-time checks)', () => {
  it('deploys with a spec (its task is checked when it runs: the domain\'s templated-task.ts), and needs one', () => {
    expect(issues('type: io.kestra.plugin.core.templating.TemplatedTask\nspec: "type: io.kestra.plugin.core.debug.Return"')).toBe('');
    expect(issues('type: io.kestra.plugin.core.templating.TemplatedTask')).toMatch(/required property "spec" is missing/);
  });
});
