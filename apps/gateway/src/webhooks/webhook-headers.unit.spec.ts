import { describe, expect, it } from 'vitest';
import { keptWebhookHeaders } from './webhook-headers.js';

describe('keptWebhookHeaders', () => {
  it('drops every credential header, whatever its case, and keeps the others', () => {
    const kept = keptWebhookHeaders({
      authorization: 'Bearer a', 'proxy-authorization': 'Basic b', cookie: 'c=1', 'x-api-key': 'k', 'X-Auth-Token': 't',
      'x-amz-security-token': 's', 'content-type': 'application/json', 'x-github-event': 'push',
    });
    expect(kept).toEqual({ 'content-type': 'application/json', 'x-github-event': 'push' });
  });

  it('joins a repeated header as HTTP does', () => {
    expect(keptWebhookHeaders({ 'x-forwarded-for': ['1.1.1.1', '2.2.2.2'] })).toEqual({ 'x-forwarded-for': '1.1.1.1, 2.2.2.2' });
  });
});
