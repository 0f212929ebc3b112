import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A small client of Chronicle's public API for end-to-end tests (the contract only). */
export class GatewayClient {
  constructor(readonly url: string, readonly token: string) {}

  async graphql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token: string | null = this.token): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: { code?: string } & Record<string, unknown> }> }> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as never;
  }

  /** Resolves `data` or throws with the errors. */
  async data<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = await this.graphql<T>(query, variables);
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data!;
  }

  rest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** graphql-ws subscription; collects payloads until disposed (or hands each to `onData`). */
  subscribe<T>(query: string, variables: Record<string, unknown>, onData?: (data: T) => void): { received: T[]; errors: unknown[]; dispose(): void; client: Client } {
    const client = createClient({
      url: this.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.token}` },
      retryAttempts: 0,
    });
    const received: T[] = [];
    const errors: unknown[] = [];
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (m) => (m.errors ? errors.push(m.errors) : onData ? onData(m.data as T) : received.push(m.data as T)),
        error: (e) => errors.push(e),
        complete: () => undefined,
      },
    );
    return { received, errors, client, dispose: () => { unsubscribe(); void client.dispose(); } };
  }
}

/** Waits for a condition that an outside process makes true (test helper; not for product code). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}
