import type { JsonValue } from '../shared/json.js';

/**
 * What an expression function that needs I/O asks of the process rendering it. The domain never
 * reads a store: `kv()`, `secret()`, `read()` and `fileSize()` call these hooks, which the worker
 * or the executor supplies in `ExpressionContext.host`. A hook that is absent makes the function
 * fail with "kv() is not available in this context". See docs/expression-host-functions.md.
 *
 * Hooks are synchronous because rendering is. A host that must fetch asynchronously throws
 * `HostCallPending` for a value it does not have yet; `renderWithHostCalls` then fetches it and
 * renders again (see there).
 */
export interface ExpressionHost {
  /**
   * The value of a KV pair, or `undefined` when the key does not exist (or has expired).
   * `namespace` is already defaulted to the flow's; `fromNamespace` is the flow's, for the
   * host's access check (Kestra allows the flow's namespace and its parents).
   */
  readonly kv?: (request: { readonly namespace: string; readonly key: string; readonly fromNamespace: string }) => JsonValue | undefined;
  /** The secret `key` of `namespace`; throws when it does not exist. The caller masks it in logs. */
  readonly secret?: (request: { readonly namespace: string; readonly key: string }) => string;
  /**
   * The UTF-8 text of a file: an internal-storage URI (`kestra:///...`, already checked to belong
   * to this execution or to the one that triggered it) or a namespace file of `namespace`.
   */
  readonly read?: (request: FileRequest) => string;
  /** The size in bytes of an internal-storage file (checked as for `read`). */
  readonly fileSize?: (request: { readonly kind: 'internal-storage'; readonly uri: string }) => number;
  /** Whether an internal-storage file exists (Kestra's `fileExists`). */
  readonly fileExists?: (request: { readonly kind: 'internal-storage'; readonly uri: string }) => boolean;
}

export type FileRequest =
  | { readonly kind: 'internal-storage'; readonly uri: string }
  | { readonly kind: 'namespace-file'; readonly namespace: string; readonly path: string };

export type HostFunctionName = keyof ExpressionHost;

/**
 * Thrown by a host hook that does not have the value yet. It is not an expression error: it
 * passes through rendering untouched so that `renderWithHostCalls` can fetch and retry.
 */
export class HostCallPending extends Error {
  constructor(
    readonly fn: HostFunctionName,
    readonly request: Readonly<Record<string, JsonValue>>,
  ) {
    super(`${fn}() needs a value the host has not fetched yet`);
    this.name = 'HostCallPending';
  }
}

/** The most fetch-and-render rounds `renderWithHostCalls` makes (one per distinct value missing). */
export const MAX_HOST_ROUNDS = 100;

/**
 * Renders with a host whose values are fetched asynchronously: `render` runs with a host that
 * answers from a cache and throws `HostCallPending` for a miss; the miss is fetched with `fetch`
 * (an `undefined` answer means "missing", as for kv), cached, and `render` runs again. Rendering
 * is pure, so running it again is safe.
 */
export const renderWithHostCalls = async <T>(
  render: (host: ExpressionHost) => T,
  fetch: (fn: HostFunctionName, request: Readonly<Record<string, JsonValue>>) => Promise<JsonValue | undefined>,
): Promise<T> => {
  const cache = new Map<string, JsonValue | undefined>();
  const cached = <R>(fn: HostFunctionName) => (request: object): R => {
    const key = `${fn}:${JSON.stringify(request)}`;
    if (!cache.has(key)) throw new HostCallPending(fn, request as Record<string, JsonValue>);
    return cache.get(key) as R;
  };
  const host: ExpressionHost = {
    kv: cached('kv'), secret: cached('secret'), read: cached('read'), fileSize: cached('fileSize'), fileExists: cached('fileExists'),
  };
  for (let round = 0; round < MAX_HOST_ROUNDS; round++) {
    try {
      return render(host);
    } catch (error) {
      if (!(error instanceof HostCallPending)) throw error;
      cache.set(`${error.fn}:${JSON.stringify(error.request)}`, await fetch(error.fn, error.request));
    }
  }
  throw new Error(`rendering needed more than ${MAX_HOST_ROUNDS} values from the host`);
};
