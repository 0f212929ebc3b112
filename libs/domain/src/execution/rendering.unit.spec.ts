import { describe, expect, it } from 'vitest';
import { Scenario } from '../testing/execution-scenario.js';

describe('a property that cannot render', () => {
  it("fails its task with Kestra's wording for a name not in scope (variables-invalid.yaml: `inputs` of a flow without inputs)", () => {
    const s = new Scenario('id: f\nnamespace: n\ntasks:\n  - id: r\n    type: Return\n    format: "{{inputs.invalid}}"\n');
    s.advance();
    expect(s.run('r').state).toBe('FAILED');
    expect(s.run('r').error).toContain('Unable to find `inputs` used in the expression `{{inputs.invalid}}` at line 1');
  });

  it('does not use that wording for a key missing from a map that is there', () => {
    const s = new Scenario('id: f\nnamespace: n\ninputs: [{ id: a, type: STRING }]\ntasks:\n  - id: r\n    type: Return\n    format: "{{ inputs.b }}"\n', { a: 'x' });
    s.advance();
    expect(s.run('r').error).toContain('undefined variable "inputs.b"');
    expect(s.run('r').error).not.toContain('Unable to find');
  });
});
