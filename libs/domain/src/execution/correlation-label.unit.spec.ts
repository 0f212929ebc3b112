import { describe, expect, it } from 'vitest';
import { systemLabelGivenAtStart } from './correlation-label.js';

// Kestra: webserver/.../ExecutionController.java parseLabels (ExecutionControllerTest#shouldRefuseSystemLabelsWhenCreatingAnExecution).
describe('system labels given at a start', () => {
  it('refuses any system label but system.correlationId, in Kestra\'s words', () => {
    expect(systemLabelGivenAtStart({ team: 'data', 'system.correlationId': 'abc' })).toBeUndefined();
    expect(systemLabelGivenAtStart(undefined)).toBeUndefined();
    expect(systemLabelGivenAtStart({ team: 'data', 'system.label': 'system' })).toBe('System labels can only be set by Kestra itself, offending label: system.label=system');
  });
});
