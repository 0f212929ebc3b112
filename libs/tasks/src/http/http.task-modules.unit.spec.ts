import { describe, expect, it } from 'vitest';
import { parseFlow } from '@chronicle/domain';
import { TASK_CATALOG } from '../catalog.js';
import { propertyIssues, taskIssues } from '../test-support/deploy-issues.js';

describe('http task modules: Request and http.Download (deploy-time checks)', () => {
  it('are known by their short and Kestra full names, and Kestra\'s older ones', () => {
    expect(TASK_CATALOG.find('Request')).toMatchObject({ name: 'Request', kind: 'runnable' });
    expect(TASK_CATALOG.find('io.kestra.plugin.core.http.Request')?.name).toBe('Request');
    expect(TASK_CATALOG.find('io.kestra.plugin.fs.http.Download')?.name).toBe('http.Download');
  });

  it('accept well-formed properties, and expressions wherever a value is checked', () => {
    expect(propertyIssues('Request', { uri: 'http://x/y', method: 'post', headers: { a: 'b' }, body: '{}', options: { connectTimeout: 'PT5S', readTimeout: 1000 } })).toEqual([]);
    expect(propertyIssues('Request', { uri: '{{ inputs.url }}', method: '{{ inputs.method }}', timeout: '{{ inputs.t }}' })).toEqual([]);
  });

  it('name each bad property', () => {
    expect(propertyIssues('Request', { method: 'FETCH', headers: ['a'], options: { connectTimeout: '5 seconds' } })).toEqual([
      ': required property "uri" is missing',
      'method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
      'headers: must be a mapping of names to values',
      'options.connectTimeout: must be an ISO-8601 duration such as PT10S (or milliseconds)',
    ]);
    expect(taskIssues('type: Request\nuri: "http://x"\nencryptBody: true')).toMatch(/property "encryptBody" of Request is not supported: Chronicle has no encrypted outputs yet/);
    expect(taskIssues('type: io.kestra.plugin.core.http.Download\nuri: https://x.io/a.csv\noptions: { readTimeout: PT10S, proxy: { address: p } }')).toMatch(/options\.proxy: unknown property "proxy" of options/);
    // Kestra's RequestOptions (HttpInterface.java) Chronicle does not implement: refused with the reason.
    expect(taskIssues('type: io.kestra.plugin.core.http.Download\nuri: https://x.io/a.csv\noptions: { proxyType: HTTP }')).toMatch(/options\.proxyType: "proxyType" is not supported by Chronicle: Chronicle's HTTP tasks connect directly/);
    expect(taskIssues('type: io.kestra.plugin.core.http.Download\nuri: https://x.io/a.csv\nsslOptions: { insecureTrustAllCertificates: true }')).toMatch(/sslOptions: "sslOptions" is not supported by Chronicle/);
    expect(taskIssues('type: io.kestra.plugin.core.http.Download\nuri: https://x.io/a.csv\noptions: { basicAuthUser: ada }')).toMatch(/basicAuthUser and basicAuthPassword go together/);
  });
});

// The HTTP polling trigger sends a Request: at deploy its request is checked by the Request task's own validator.
describe("the HTTP trigger's request, checked at deploy by the Request task's validator", () => {
  const deploy = (trigger: string) => {
    try {
      parseFlow(`id: f\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\ntriggers:\n  - id: http\n    type: io.kestra.plugin.core.http.Trigger\n${trigger}`, TASK_CATALOG);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('accepts what the Request task accepts, expressions included', () => {
    expect(deploy('    uri: "http://x/{{ flow.id }}"\n    method: post\n    body: "{}"\n    headers: { a: b }\n    options: { connectTimeout: PT5S, basicAuthUser: a, basicAuthPassword: "{{ secret(\'P\') }}" }')).toBe('');
  });

  it("refuses what the Request task refuses, at the trigger's path", () => {
    expect(deploy('    uri: http://x\n    options: { proxyType: HTTP }')).toMatch(/options\.proxyType: "proxyType" is not supported by Chronicle: Chronicle's HTTP tasks connect directly/);
    expect(deploy('    uri: http://x\n    options: { connectTimeout: "5 seconds" }')).toMatch(/options\.connectTimeout: must be an ISO-8601 duration/);
    expect(deploy('    uri: http://x\n    headers: [a]')).toMatch(/headers: must be a mapping/);
    expect(deploy('    method: GET')).toMatch(/uri: required: the URL to poll/);
    expect(deploy('    method: GET')).not.toMatch(/required property "uri"/);
  });
});
