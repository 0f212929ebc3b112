import { describe, expect, it } from 'vitest';
import { loggablePath } from './http-tracing.middleware.js';

describe('loggablePath', () => {
  it('masks a webhook key (it authorises the call) and leaves other paths as they are', () => {
    expect(loggablePath('/api/v1/executions/webhook/teamA/orders/s3cret-key-123')).toBe('/api/v1/executions/webhook/teamA/orders/******');
    expect(loggablePath('/api/v1/executions/webhook/teamA/orders/s3cret-key-123/')).toBe('/api/v1/executions/webhook/teamA/orders/******/');
    expect(loggablePath('/api/v1/executions/abc/kill')).toBe('/api/v1/executions/abc/kill');
  });
});
