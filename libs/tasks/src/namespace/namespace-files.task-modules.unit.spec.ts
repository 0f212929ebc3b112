import { describe, expect, it } from 'vitest';
import { taskIssues as issues } from '../test-support/deploy-issues.js';

describe('namespace-file task modules (deploy-time checks)', () => {
  it('refuses UploadFiles\' files, which reads a working directory, with what to do instead', () => {
    expect(issues('type: io.kestra.plugin.core.namespace.UploadFiles\nnamespace: n\nfiles: ["**.sql"]\nfilesMap: {}')).toMatch(/files: is not supported by Chronicle/);
    expect(issues('type: io.kestra.plugin.core.namespace.UploadFiles\nnamespace: n\nfilesMap: { "a.sql": "kestra:///a.sql" }')).toBe('');
  });
});
