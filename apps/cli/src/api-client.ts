import { Readable } from 'node:stream';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
// Errors are the SDK's: ChronicleError with the API's `code` and `reason` (docs/api-errors.md).
import { ChronicleError, toChronicleError } from '@chronicle/client';


interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
}

/** Chronicle's public API as the CLI uses it: GraphQL over HTTP, graphql-ws for live commands, a few REST routes. */
export class ChronicleClient {
  constructor(readonly url: string, private readonly token: string | undefined) {}

  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await this.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    let body: GraphQLResponse<T>;
    try {
      body = (await response.json()) as GraphQLResponse<T>;
    } catch {
      throw toChronicleError(`HTTP_${response.status}`, `${this.url}/graphql answered HTTP ${response.status} without a GraphQL body`, response.status);
    }
    const [error] = body.errors ?? [];
    if (error) throw toChronicleError(error.extensions?.code ?? 'GRAPHQL_ERROR', error.message, response.status, error.extensions);
    return body.data as T;
  }

  /** A REST call; the response is returned as it is once its status is 2xx. */
  async rest(method: string, path: string, init: { body?: string | Readable; contentType?: string } = {}): Promise<Response> {
    const body = init.body instanceof Readable ? (Readable.toWeb(init.body) as unknown as RequestInit["body"]) : init.body;
    const response = await this.fetch(path, {
      method,
      headers: init.contentType ? { 'content-type': init.contentType } : {},
      body,
      ...(init.body instanceof Readable ? { duplex: 'half' } : {}),
    } as RequestInit);
    if (response.ok) return response;
    const text = await response.text();
    let code = `HTTP_${response.status}`;
    let message = text;
    let reason: string | undefined;
    let details: Record<string, unknown> | undefined;
    try {
      const parsed = JSON.parse(text) as { code?: string; reason?: string; message?: string; details?: Record<string, unknown>; error?: { code?: string; message?: string } };
      code = parsed.code ?? parsed.error?.code ?? code;
      message = parsed.message ?? parsed.error?.message ?? text;
      reason = parsed.reason;
      details = parsed.details;
    } catch {
      // Not JSON: the text is the message.
    }
    throw toChronicleError(code, message || `HTTP ${response.status}`, response.status, details, reason);
  }

  /** A graphql-ws subscription; `onData` returns true to stop. Resolves when it stops or completes. */
  subscribe<T>(query: string, variables: Record<string, unknown>, onData: (data: T) => boolean | void): Promise<void> {
    const client: Client = createClient({
      url: `${this.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: this.token ? { authorization: `Bearer ${this.token}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    return new Promise<void>((resolve, reject) => {
      let unsubscribe: (() => void) | undefined;
      const finish = (error?: unknown) => {
        unsubscribe?.();
        void client.dispose();
        if (error) reject(error);
        else resolve();
      };
      unsubscribe = client.subscribe<T>({ query, variables }, {
        next: (message) => {
          const [error] = (message.errors ?? []) as { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
          if (error) return finish(toChronicleError(error.extensions?.code ?? 'GRAPHQL_ERROR', error.message, undefined, error.extensions));
          if (onData(message.data as T) === true) finish();
        },
        error: (error) => finish(error instanceof Error ? error : new ChronicleError('SUBSCRIPTION_FAILED', describeSocketError(error))),
        complete: () => finish(),
      });
    });
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    const headers = { ...(init.headers as Record<string, string>), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) };
    try {
      return await fetch(`${this.url}${path}`, { ...init, headers });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ChronicleError('NETWORK_ERROR', `cannot reach Chronicle at ${this.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
  }
}

function describeSocketError(error: unknown): string {
  const event = error as { code?: number; reason?: string; message?: string };
  if (typeof event.code === 'number') return `the live connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`;
  return event.message ?? String(error);
}
