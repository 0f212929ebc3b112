import { describe, expect, it } from 'vitest';
import { taskIssues as issues } from '../test-support/deploy-issues.js';

describe('kv task modules (deploy-time checks)', () => {
  // Kestra's documentation example (Set.java @Example) deploys as written.
  it('accepts the documentation example', () => {
    expect(issues('type: io.kestra.plugin.core.kv.Set\nkey: my_variable\nvalue: "{{ outputs.http_request.body }}"\nnamespace: company.team\noverwrite: true\nttl: P30D\nkvType: STRING')).toBe('');
  });

  it('refuses bad properties with their name and the reason', () => {
    expect(issues('type: io.kestra.plugin.core.kv.Set\nvalue: x')).toMatch(/required property "key" is missing/);
    expect(issues('type: io.kestra.plugin.core.kv.Set\nkey: k\nvalue: x\nkvType: TEXT')).toMatch(/kvType: must be one of STRING/);
    expect(issues('type: io.kestra.plugin.core.kv.Set\nkey: k\nvalue: x\nttl: 5 minutes')).toMatch(/ttl: must be an ISO-8601 duration/);
    expect(issues('type: io.kestra.plugin.core.kv.Set\nkey: k\nvalue: x\ntll: PT1H')).toMatch(/tll: unknown property "tll"; this task type has key, value, namespace, overwrite, ttl, kvType/);
    expect(issues('type: io.kestra.plugin.core.kv.Set\nkey: k\nvalue: x\ndescription: d\nretry: { type: constant, interval: PT1S, maxAttempt: 2 }\ntimeout: PT1M')).toBe('');
  });
});
