import { createClient, type Client } from 'graphql-ws';

/** graphql-ws on /graphql (same origin); the token goes in connectionParams.authorization. */
export function createLiveClient(token: string): Client {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient({
    url: `${scheme}//${window.location.host}/graphql`,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    keepAlive: 15_000,
  });
}

/**
 * Calls `resumed` each time the live connection comes back after it was lost. graphql-ws
 * resubscribes by itself, but what changed while it was down was never sent: a view built from
 * a read plus live changes must read again. Answers the function that stops listening.
 */
export function onResumed(client: Pick<Client, 'on'>, resumed: () => void): () => void {
  return client.on('connected', (_socket, _payload, wasRetry) => {
    if (wasRetry) resumed();
  });
}

export interface LiveHandlers<T> {
  next(data: T): void;
  error?(message: string): void;
}

/** Subscribes; answers the function that stops it. */
export function subscribe<T>(client: Client, query: string, variables: Record<string, unknown>, handlers: LiveHandlers<T>): () => void {
  return client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors?.length) handlers.error?.(result.errors.map((e) => e.message).join('; '));
        else if (result.data) handlers.next(result.data as T);
      },
      error: (error) => {
        const message = Array.isArray(error) ? error.map((e: { message: string }) => e.message).join('; ') : error instanceof Error ? error.message : 'the live connection closed';
        handlers.error?.(message);
      },
      complete: () => undefined,
    },
  );
}
