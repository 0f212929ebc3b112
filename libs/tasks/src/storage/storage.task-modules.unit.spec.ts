import { describe, expect, it } from 'vitest';
import { taskIssues as issues } from '../test-support/deploy-issues.js';

describe('storage task modules (deploy-time checks)', () => {
  // Kestra's documentation examples (Split.java, Concat.java @Example) deploy as written.
  it('accepts the documentation examples', () => {
    expect(issues('type: io.kestra.plugin.core.storage.Split\nfrom: "{{ inputs.file }}"\npartitions: 8')).toBe('');
    expect(issues('type: io.kestra.plugin.core.storage.Concat\nfiles:\n  - "{{ outputs.a.uri }}"\n  - "{{ outputs.b.uri }}"\nseparator: "\\n"')).toBe('');
    expect(issues('type: io.kestra.plugin.core.storage.FilterItems\nfrom: "{{ inputs.file }}"\nfilterCondition: " {{ value == null }}"\nfilterType: EXCLUDE\nerrorOrNullBehavior: EXCLUDE')).toBe('');
  });

  it('refuses bad properties with their name and the reason', () => {
    expect(issues('type: io.kestra.plugin.core.storage.Split\nfrom: x')).toMatch(/exactly one of bytes, partitions, rows is required/);
    expect(issues('type: io.kestra.plugin.core.storage.Split\nfrom: x\nrows: 2\nbytes: 1KB')).toMatch(/got bytes and rows/);
    expect(issues('type: io.kestra.plugin.core.storage.Split\nfrom: x\nbytes: lots')).toMatch(/bytes: must be a size/);
  });

  it('checks LocalFiles (inputs a map or JSON text, outputs a list of globs)', () => {
    expect(issues('type: io.kestra.plugin.core.storage.LocalFiles\ninputs: { a: b }\noutputs: ["*.txt"]')).toBe('');
    expect(issues('type: io.kestra.plugin.core.storage.LocalFiles\noutputs: "*.txt"')).toMatch(/outputs.*must be a list of strings/);
  });
});
