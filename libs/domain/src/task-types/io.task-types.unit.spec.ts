import { describe, expect, it } from 'vitest';
import { parseFlow } from '../flow/flow.parser.js';
import { FlowValidationError } from '../flow/flow-validation.error.js';
import { findTaskType } from './registry.js';

const flow = (task: string) => `id: f\nnamespace: n\ntasks:\n  - id: t\n${task.split('\n').map((l) => `    ${l}`).join('\n')}\n`;
const issues = (task: string): string => {
  try {
    parseFlow(flow(task));
    return '';
  } catch (error) {
    if (error instanceof FlowValidationError) return error.message;
    throw error;
  }
};

describe('storage, KV and namespace-file task types (deploy-time checks)', () => {
  it('knows Kestra\'s full names and older aliases', () => {
    expect(findTaskType('io.kestra.plugin.core.kv.Set')?.name).toBe('kv.Set');
    expect(findTaskType('io.kestra.core.tasks.storages.Concat')?.name).toBe('storage.Concat');
    expect(findTaskType('io.kestra.plugin.core.storage.PurgeExecution')?.name).toBe('storage.PurgeCurrentExecutionFiles');
    expect(findTaskType('io.kestra.plugin.core.namespace.DownloadFiles')?.name).toBe('namespace.DownloadFiles');
  });

  // Kestra's documentation examples (Set.java, Split.java, Concat.java @Example) deploy as written.
  it('accepts the documentation examples', () => {
    expect(issues('type: io.kestra.plugin.core.kv.Set\nkey: my_variable\nvalue: "{{ outputs.http_request.body }}"\nnamespace: company.team\noverwrite: true\nttl: P30D\nkvType: STRING')).toBe('');
    expect(issues('type: io.kestra.plugin.core.storage.Split\nfrom: "{{ inputs.file }}"\npartitions: 8')).toBe('');
    expect(issues('type: io.kestra.plugin.core.storage.Concat\nfiles:\n  - "{{ outputs.a.uri }}"\n  - "{{ outputs.b.uri }}"\nseparator: "\\n"')).toBe('');
    expect(issues('type: io.kestra.plugin.core.storage.FilterItems\nfrom: "{{ inputs.file }}"\nfilterCondition: " {{ value == null }}"\nfilterType: EXCLUDE\nerrorOrNullBehavior: EXCLUDE')).toBe('');
  });

  it('refuses bad properties with their name and the reason', () => {
    expect(issues('type: io.kestra.plugin.core.kv.Set\nvalue: x')).toMatch(/required property "key" is missing/);
    expect(issues('type: io.kestra.plugin.core.kv.Set\nkey: k\nvalue: x\nkvType: TEXT')).toMatch(/kvType: must be one of STRING/);
    expect(issues('type: io.kestra.plugin.core.kv.Set\nkey: k\nvalue: x\nttl: 5 minutes')).toMatch(/ttl: must be an ISO-8601 duration/);
    expect(issues('type: io.kestra.plugin.core.storage.Split\nfrom: x')).toMatch(/exactly one of bytes, partitions, rows is required/);
    expect(issues('type: io.kestra.plugin.core.storage.Split\nfrom: x\nrows: 2\nbytes: 1KB')).toMatch(/got bytes and rows/);
    expect(issues('type: io.kestra.plugin.core.storage.Split\nfrom: x\nbytes: lots')).toMatch(/bytes: must be a size/);
    expect(issues('type: io.kestra.plugin.core.kv.Set\nkey: k\nvalue: x\ntll: PT1H')).toMatch(/tll: unknown property "tll"; this task type has key, value, namespace, overwrite, ttl, kvType/);
    expect(issues('type: io.kestra.plugin.core.kv.Set\nkey: k\nvalue: x\ndescription: d\nretry: { type: constant, interval: PT1S, maxAttempt: 2 }\ntimeout: PT1M')).toBe('');
    expect(issues('type: io.kestra.plugin.core.http.Download\nuri: https://x.io/a.csv\noptions: { readTimeout: PT10S, proxy: { address: p } }')).toMatch(/options\.proxy: unknown property "proxy" of options/);
    // Kestra's RequestOptions (HttpInterface.java) Chronicle does not implement: refused with the reason.
    expect(issues('type: io.kestra.plugin.core.http.Download\nuri: https://x.io/a.csv\noptions: { proxyType: HTTP }')).toMatch(/options\.proxyType: "proxyType" is not supported by Chronicle: Chronicle's HTTP tasks connect directly/);
    expect(issues('type: io.kestra.plugin.core.http.Download\nuri: https://x.io/a.csv\nsslOptions: { insecureTrustAllCertificates: true }')).toMatch(/sslOptions: "sslOptions" is not supported by Chronicle/);
    expect(issues('type: io.kestra.plugin.core.http.Download\nuri: https://x.io/a.csv\noptions: { basicAuthUser: ada }')).toMatch(/basicAuthUser and basicAuthPassword go together/);
    expect(issues('type: io.kestra.plugin.core.namespace.UploadFiles\nnamespace: n\nfiles: ["**.sql"]\nfilesMap: {}')).toMatch(/files: is not supported by Chronicle/);
  });

  it('checks LocalFiles (inputs a map or JSON text, outputs a list of globs); TemplatedTask deploys', () => {
    expect(issues('type: io.kestra.plugin.core.storage.LocalFiles\ninputs: { a: b }\noutputs: ["*.txt"]')).toBe('');
    expect(issues('type: io.kestra.plugin.core.storage.LocalFiles\noutputs: "*.txt"')).toMatch(/outputs.*must be a list of strings/);
    // TemplatedTask deploys (its spec is checked when it runs: templated-task.ts).
    expect(issues('type: io.kestra.plugin.core.templating.TemplatedTask\nspec: "type: io.kestra.plugin.core.debug.Return"')).toBe('');
  });
});
