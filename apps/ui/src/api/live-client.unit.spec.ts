import { describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { onResumed } from './live-client.js';

type ConnectedListener = (socket: unknown, payload: unknown, wasRetry: boolean) => void;

/** graphql-ws's `on('connected')`, driven by hand: the listener gets the flag the client passes. */
function fakeClient() {
  const listeners = new Set<ConnectedListener>();
  const client = {
    on: (event: string, listener: ConnectedListener) => {
      expect(event).toBe('connected');
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as Pick<Client, 'on'>;
  return { client, connect: (wasRetry: boolean) => listeners.forEach((l) => l({}, undefined, wasRetry)), listening: () => listeners.size };
}

describe('onResumed', () => {
  it('calls back when the connection comes back after a loss, not on the first connection', () => {
    const { client, connect } = fakeClient();
    let resumed = 0;
    onResumed(client, () => resumed++);
    connect(false);
    expect(resumed).toBe(0);
    connect(true);
    connect(true);
    expect(resumed).toBe(2);
  });

  it('stops listening when told to', () => {
    const { client, connect, listening } = fakeClient();
    let resumed = 0;
    const stop = onResumed(client, () => resumed++);
    stop();
    connect(true);
    expect(resumed).toBe(0);
    expect(listening()).toBe(0);
  });
});
