import { describe, expect, it } from 'vitest';
import { DELAYED_FETCH_MIN_BYTES, fetchWait } from './kafka-consumer.js';

describe('fetchWait: how long the broker holds a consumer\'s fetch', () => {
  const settings = { maxWaitTimeInMs: 500, sessionTimeoutMs: 6000 };

  it('answers as soon as one record is there by default', () => {
    expect(fetchWait(settings, {})).toEqual({ maxWaitTimeInMs: 500, minBytes: 1 });
    expect(fetchWait(settings, { maxDelayMs: 0 })).toEqual({ maxWaitTimeInMs: 500, minBytes: 1 });
  });

  it('lets records gather for a consumer that may receive them late, for its delay whatever the idle wait', () => {
    expect(fetchWait(settings, { maxDelayMs: 1000 })).toEqual({ maxWaitTimeInMs: 1000, minBytes: DELAYED_FETCH_MIN_BYTES });
    // The idle wait equal to the delay (the default 1 s): records still gather.
    expect(fetchWait({ maxWaitTimeInMs: 1000, sessionTimeoutMs: 6000 }, { maxDelayMs: 1000 })).toEqual({ maxWaitTimeInMs: 1000, minBytes: DELAYED_FETCH_MIN_BYTES });
    expect(fetchWait({ maxWaitTimeInMs: 1000, sessionTimeoutMs: 6000 }, { maxDelayMs: 200 })).toEqual({ maxWaitTimeInMs: 200, minBytes: DELAYED_FETCH_MIN_BYTES });
  });

  it('never holds a fetch past a third of the session: the member heartbeats between fetches', () => {
    expect(fetchWait(settings, { maxDelayMs: 60_000 })).toEqual({ maxWaitTimeInMs: 2000, minBytes: DELAYED_FETCH_MIN_BYTES });
    expect(fetchWait({ maxWaitTimeInMs: 500, sessionTimeoutMs: 1200 }, { maxDelayMs: 1000 })).toEqual({ maxWaitTimeInMs: 400, minBytes: DELAYED_FETCH_MIN_BYTES });
  });
});
