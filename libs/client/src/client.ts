import { randomUUID } from 'node:crypto';
import { ChronicleBulkError, ChronicleError, toChronicleError } from './errors.js';
import type { Execution, ExecutionConnection, ExecutionEvent, QueryExecutionsArgs, State } from './generated/graphql.js';
import { readSse } from './sse.js';

export interface ChronicleClientOptions {
  /** The gateway's base URL, e.g. http://localhost:8080. */
  readonly url: string;
  /** An API token (Authorization: Bearer). */
  readonly token?: string;
  /** Extra tries after a network error or a retryable answer (503, 429, 502, 504). Default 3. */
  readonly retries?: number;
  /** First back-off; doubled on each retry. Default 200 ms. */
  readonly retryDelayMs?: number;
  /** Another fetch (a proxy agent, a test double of the network is not needed). */
  readonly fetch?: typeof fetch;
}

/** An execution as the client reads it (every field but the paged logs). */
export type ExecutionSnapshot = Omit<Execution, 'logs'>;
export type ExecutionPage = Omit<ExecutionConnection, 'edges'> & { readonly edges: { readonly cursor: string; readonly node: ExecutionSnapshot }[] };
/** One event of an execution's stream; `revision` is its position in the stream (the SSE id). */
export type ExecutionStreamEvent = Pick<ExecutionEvent, 'revision' | 'type' | 'data' | 'occurredAt' | 'position'>;

export interface StartOptions {
  readonly inputs?: Record<string, unknown>;
  readonly labels?: Record<string, string>;
  readonly revision?: number;
  /** The same key answers the same execution; the client makes one up so that its own retries never start two. */
  readonly idempotencyKey?: string;
}

export interface ReplayOptions {
  readonly fromTaskId?: string;
  readonly inputs?: Record<string, unknown>;
  readonly revision?: number;
  readonly idempotencyKey?: string;
}

/** Which executions a bulk call acts on: these ids, or those the search's filters select (within the token's namespaces). */
export type BulkSelection = { readonly ids: readonly string[] } | { readonly query: BulkQuery };

/** The filters of Kestra's `.../by-query` routes. */
export interface BulkQuery {
  readonly namespace?: string;
  readonly flowId?: string;
  readonly state?: readonly State[];
  readonly labels?: Readonly<Record<string, string>>;
  /** Started at or after / at or before (ISO-8601). */
  readonly startDate?: string;
  readonly endDate?: string;
  /** ISO-8601 duration: started within it, up to now (PT5M, P1D). */
  readonly timeRange?: string;
  readonly originalId?: string;
  readonly parentId?: string;
}

/** One execution a bulk call could not act on (Kestra's ManualConstraintViolation). */
export interface BulkInvalid {
  readonly message: string;
  readonly invalidValue: string;
  readonly code: 'NOT_FOUND' | 'CONFLICT';
}

/** Kestra's BulkResponse; `skipped`: checked, then changed by someone else before the action reached them. */
export interface BulkResult {
  readonly count: number;
  readonly skipped?: readonly BulkInvalid[];
}

/** A KV entry of a namespace (Kestra's KVEntry). */
export interface KvEntry {
  readonly key: string;
  readonly updateDate: string;
  readonly expirationDate: string | null;
}

/** Kestra's TypedValue. */
export interface KvValue {
  readonly type: 'STRING' | 'NUMBER' | 'BOOLEAN' | 'DATETIME' | 'DATE' | 'DURATION' | 'JSON';
  readonly value: unknown;
}

type BulkVerb = 'kill' | 'pause' | 'resume' | 'restart' | 'replay' | 'labels' | 'delete';

// The server's terminal states (libs/domain state.ts).
const TERMINAL: ReadonlySet<State> = new Set<State>(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED']);
const EXECUTION_FIELDS = `id namespace flowId flowRevision state revision inputs outputs labels trigger originalId parentId startDate endDate error
  name description message priority maxRuntime scheduledAt killReason startedBy { kind id } mode availableActions
  stateHistory { state date }
  breakpoints stepMode lockClaims { taskRunId names state since }
  taskRuns { id taskId parentTaskRunId value state startDate endDate outputs error attempts { number state startDate endDate error metrics } metrics breakpoint { since properties error } }`;

/** Chronicle's API for programs: GraphQL for commands and reads, Server-Sent Events for streams. */
export class ChronicleClient {
  private readonly url: string;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ChronicleClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Starts an execution; retried safely (an idempotency key is always sent). */
  async start(namespace: string, flowId: string, options: StartOptions = {}): Promise<ExecutionSnapshot> {
    const data = await this.graphql<{ createExecution: ExecutionSnapshot }>(
      `mutation($ns: String!, $flow: String!, $inputs: JSON, $labels: JSON, $revision: Int, $key: String) {
        createExecution(namespace: $ns, flowId: $flow, inputs: $inputs, labels: $labels, revision: $revision, idempotencyKey: $key) { ${EXECUTION_FIELDS} } }`,
      { ns: namespace, flow: flowId, inputs: options.inputs, labels: options.labels, revision: options.revision, key: options.idempotencyKey ?? randomUUID() },
    );
    return data.createExecution;
  }

  /** Starts an execution and resolves with it once it ended (followed by its event stream, no polling). */
  async startAndWait(namespace: string, flowId: string, options: StartOptions & { readonly timeoutMs?: number } = {}): Promise<ExecutionSnapshot> {
    const started = await this.start(namespace, flowId, options);
    return this.waitForEnd(started.id, options.timeoutMs);
  }

  /** Resolves once the execution ended; `TIMEOUT` after `timeoutMs`. */
  async waitForEnd(id: string, timeoutMs = 300_000): Promise<ExecutionSnapshot> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      // Stream from the current state: a restarted execution has older terminal events in its stream.
      const current = await this.get(id);
      if (!current) throw toChronicleError('NOT_FOUND', `execution ${id} does not exist`);
      if (TERMINAL.has(current.state)) return current;
      let last = current.revision;
      for await (const event of this.streamEvents(id, { afterRevision: current.revision, signal: abort.signal })) last = event.revision;
      // The stream ended with the terminal event: read at least that revision (read-your-writes).
      const ended = await this.get(id, { minRevision: last });
      if (!ended) throw toChronicleError('NOT_FOUND', `execution ${id} does not exist`);
      return ended;
    } catch (error) {
      if (abort.signal.aborted) throw new ChronicleError('TIMEOUT', `execution ${id} did not end within ${timeoutMs} ms`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One execution; never older than `minRevision` (the revision an answer gave you); null when it does not exist. */
  async get(id: string, options: { readonly minRevision?: number } = {}): Promise<ExecutionSnapshot | null> {
    const data = await this.graphql<{ execution: ExecutionSnapshot | null }>(
      `query($id: ID!, $min: Int) { execution(id: $id, minRevision: $min) { ${EXECUTION_FIELDS} } }`, { id, min: options.minRevision });
    return data.execution;
  }

  /** A page of executions, newest first (from the read model: may lag a write by a moment). */
  async list(filter: Omit<QueryExecutionsArgs, never> = {}): Promise<ExecutionPage> {
    const data = await this.graphql<{ executions: ExecutionPage }>(
      `query($namespace: String, $flowId: String, $state: [State!], $labels: JSON, $startDate: DateTime, $endDate: DateTime, $parentId: ID, $originalId: ID, $first: Int, $after: String) {
        executions(namespace: $namespace, flowId: $flowId, state: $state, labels: $labels, startDate: $startDate, endDate: $endDate, parentId: $parentId, originalId: $originalId, first: $first, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${EXECUTION_FIELDS} } } } }`,
      { ...filter },
    );
    return data.executions;
  }

  kill(id: string): Promise<ExecutionSnapshot> {
    return this.control('killExecution', id);
  }

  pause(id: string): Promise<ExecutionSnapshot> {
    return this.control('pauseExecution', id);
  }

  /** Resumes a paused execution; `approve: false` rejects it (the paused task fails). */
  async resume(id: string, options: { readonly approve?: boolean; readonly inputs?: Record<string, unknown> } = {}): Promise<ExecutionSnapshot> {
    const data = await this.graphql<{ resumeExecution: ExecutionSnapshot }>(
      `mutation($id: ID!, $approve: Boolean, $inputs: JSON) { resumeExecution(id: $id, approve: $approve, inputs: $inputs) { ${EXECUTION_FIELDS} } }`,
      { id, approve: options.approve ?? true, inputs: options.inputs },
    );
    return data.resumeExecution;
  }

  restart(id: string): Promise<ExecutionSnapshot> {
    return this.control('restartExecution', id);
  }

  /** A new execution from this one (same originalId), from a task, with other inputs or another flow revision. */
  async replay(id: string, options: ReplayOptions = {}): Promise<ExecutionSnapshot> {
    const data = await this.graphql<{ replayExecution: ExecutionSnapshot }>(
      `mutation($id: ID!, $from: String, $inputs: JSON, $revision: Int, $key: String) {
        replayExecution(id: $id, fromTaskId: $from, inputs: $inputs, revision: $revision, idempotencyKey: $key) { ${EXECUTION_FIELDS} } }`,
      { id, from: options.fromTaskId, inputs: options.inputs, revision: options.revision, key: options.idempotencyKey ?? randomUUID() },
    );
    return data.replayExecution;
  }

  /** Kills many executions (Kestra's `/executions/kill/by-ids|by-query`); nothing is done when one refuses: a ChronicleBulkError lists why. */
  killMany(selection: BulkSelection): Promise<BulkResult> {
    return this.bulk('kill', selection);
  }

  pauseMany(selection: BulkSelection): Promise<BulkResult> {
    return this.bulk('pause', selection);
  }

  resumeMany(selection: BulkSelection): Promise<BulkResult> {
    return this.bulk('resume', selection);
  }

  restartMany(selection: BulkSelection): Promise<BulkResult> {
    return this.bulk('restart', selection);
  }

  /** New executions of the selected ended ones (same flow revision and inputs). */
  replayMany(selection: BulkSelection): Promise<BulkResult> {
    return this.bulk('replay', selection);
  }

  /** Adds `labels` to the selected executions (same keys replaced, others kept). */
  labelMany(selection: BulkSelection, labels: Readonly<Record<string, string>>): Promise<BulkResult> {
    return this.bulk('labels', selection, Object.entries(labels).map(([key, value]) => ({ key, value })));
  }

  /** Deletes (purges) the selected ended executions with their logs and files. */
  deleteMany(selection: BulkSelection): Promise<BulkResult> {
    return this.bulk('delete', selection);
  }

  /** The unexpired keys of a namespace's KV store. */
  kvList(namespace: string): Promise<KvEntry[]> {
    return this.rest<KvEntry[]>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/kv`);
  }

  /** A key's value with its type; null when the key is not set (or expired). */
  async kvGet(namespace: string, key: string): Promise<KvValue | null> {
    try {
      return await this.rest<KvValue>('GET', kvPath(namespace, key));
    } catch (error) {
      if (error instanceof ChronicleError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  /** Sets a key to any JSON value; `ttl` (ISO-8601 duration, e.g. PT1H) makes it expire. */
  async kvSet(namespace: string, key: string, value: unknown, options: { readonly ttl?: string } = {}): Promise<void> {
    await this.rest('PUT', kvPath(namespace, key), JSON.stringify(value), options.ttl ? { ttl: options.ttl } : {});
  }

  /** True when the key existed. */
  kvDelete(namespace: string, key: string): Promise<boolean> {
    return this.rest<boolean>('DELETE', kvPath(namespace, key));
  }

  /** Deletes several keys; answers those that existed. */
  async kvDeleteKeys(namespace: string, keys: readonly string[]): Promise<string[]> {
    return (await this.rest<{ keys: string[] }>('DELETE', `/api/v1/namespaces/${encodeURIComponent(namespace)}/kv`, JSON.stringify({ keys }))).keys;
  }

  /**
   * Every event of the execution after `afterRevision`, then live ones, each once and in order,
   * ending after the terminal event. A dropped connection is resumed from the last event received
   * (Last-Event-ID), with the client's retries and back-off.
   */
  async *streamEvents(id: string, options: { readonly afterRevision?: number; readonly signal?: AbortSignal } = {}): AsyncGenerator<ExecutionStreamEvent> {
    let last = options.afterRevision ?? -1;
    let failures = 0;
    for (;;) {
      let response: Response;
      try {
        response = await this.fetchImpl(`${this.url}/api/v1/executions/${encodeURIComponent(id)}/events`, {
          headers: { ...this.authHeader(), accept: 'text/event-stream', ...(last >= 0 ? { 'last-event-id': String(last) } : {}) },
          signal: options.signal,
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        await this.backoff(++failures, new ChronicleError('NETWORK_ERROR', `${this.url} is unreachable: ${(error as Error).message}`));
        continue;
      }
      if (!response.ok) {
        const error = await errorOf(response);
        if (!error.retryable) throw error;
        await this.backoff(++failures, error);
        continue;
      }
      let ended = false;
      try {
        for await (const message of readSse(response.body!)) {
          if (message.event === 'error') throw toChronicleError('SERVICE_UNAVAILABLE', (JSON.parse(message.data) as { message: string }).message);
          const event = JSON.parse(message.data) as ExecutionStreamEvent;
          if (event.revision <= last) continue;
          last = event.revision;
          failures = 0;
          yield event;
          if (endsExecution(event)) ended = true;
        }
      } catch (error) {
        if (options.signal?.aborted) throw error;
        if (error instanceof ChronicleError && !error.retryable) throw error;
      }
      if (ended) return;
      // The stream closed before the terminal event: the connection dropped. Resume after `last`.
      await this.backoff(++failures, new ChronicleError('NETWORK_ERROR', `the event stream of ${id} kept dropping`));
    }
  }

  /** A GraphQL request with retries; errors become ChronicleErrors with the server's code. */
  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.graphqlOnce<T>(query, variables);
      } catch (error) {
        const typed = error instanceof ChronicleError ? error : new ChronicleError('NETWORK_ERROR', `${this.url} is unreachable: ${(error as Error).message}`);
        if (!typed.retryable || attempt >= this.retries) throw typed;
        await sleep(this.retryDelayMs * 2 ** attempt);
      }
    }
  }

  private async graphqlOnce<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await this.fetchImpl(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.authHeader() },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json().catch(() => undefined)) as { data?: T; errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[] } | undefined;
    const [first] = body?.errors ?? [];
    if (first) throw toChronicleError(first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', first.message, response.status, first.extensions);
    if (!response.ok || !body?.data) throw toChronicleError(response.status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR', `${this.url}/graphql answered HTTP ${response.status}`, response.status);
    return body.data;
  }

  private async bulk(verb: BulkVerb, selection: BulkSelection, labels?: readonly { key: string; value: string }[]): Promise<BulkResult> {
    const method = verb === 'kill' || verb === 'delete' ? 'DELETE' : 'POST';
    const base = verb === 'delete' ? '/api/v1/executions' : `/api/v1/executions/${verb}`;
    if ('ids' in selection) {
      const body = verb === 'labels' ? { executionsId: selection.ids, executionLabels: labels } : selection.ids;
      return this.rest<BulkResult>(method, `${base}/by-ids`, JSON.stringify(body));
    }
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(selection.query)) {
      if (value === undefined) continue;
      if (name === 'state') for (const state of value as State[]) params.append('state', state);
      else if (name === 'labels') for (const [k, v] of Object.entries(value as Record<string, string>)) params.append('labels', `${k}:${v}`);
      else params.set(name, String(value));
    }
    return this.rest<BulkResult>(method, `${base}/by-query?${params}`, labels ? JSON.stringify(labels) : undefined);
  }

  /**
   * A REST request; errors become ChronicleErrors with the server's code. Retried on a network
   * error or a retryable answer only when repeating it is harmless (not a POST).
   */
  private async rest<T>(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchImpl(`${this.url}${path}`, {
          method, body, headers: { ...this.authHeader(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        });
      } catch (error) {
        const typed = new ChronicleError('NETWORK_ERROR', `${this.url} is unreachable: ${(error as Error).message}`);
        if (method === 'POST' || attempt >= this.retries) throw typed;
        await sleep(this.retryDelayMs * 2 ** attempt);
        continue;
      }
      if (response.ok) {
        const text = await response.text();
        return (text === '' ? undefined : JSON.parse(text)) as T;
      }
      const error = await errorOf(response);
      if (!error.retryable || method === 'POST' || attempt >= this.retries) throw error;
      await sleep(this.retryDelayMs * 2 ** attempt);
    }
  }

  private async control(mutation: 'killExecution' | 'pauseExecution' | 'restartExecution', id: string): Promise<ExecutionSnapshot> {
    const data = await this.graphql<Record<string, ExecutionSnapshot>>(`mutation($id: ID!) { ${mutation}(id: $id) { ${EXECUTION_FIELDS} } }`, { id });
    return data[mutation]!;
  }

  private authHeader(): Record<string, string> {
    return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
  }

  private async backoff(failures: number, error: ChronicleError): Promise<void> {
    if (failures > this.retries) throw error;
    await sleep(this.retryDelayMs * 2 ** (failures - 1));
  }
}

async function errorOf(response: Response): Promise<ChronicleError> {
  const body = (await response.json().catch(() => undefined)) as { code?: string; reason?: string; message?: string; details?: Record<string, unknown>; invalids?: BulkInvalid[] } | undefined;
  if (body?.invalids) return new ChronicleBulkError(body.message ?? 'invalid bulk request', body.invalids, response.status);
  return toChronicleError(body?.code ?? (response.status === 503 ? 'SERVICE_UNAVAILABLE' : `HTTP_${response.status}`), body?.message ?? `HTTP ${response.status}`, response.status, body?.details, body?.reason);
}

/** The same rule as the server's stream: the execution reached a terminal state with this event. */
function endsExecution(event: ExecutionStreamEvent): boolean {
  if (event.type === 'ExecutionSucceeded' || event.type === 'ExecutionFailed') return true;
  const state = (event.data as { state?: unknown } | null)?.state;
  return event.type === 'ExecutionStateChanged' && typeof state === 'string' && TERMINAL.has(state as State);
}

const kvPath = (namespace: string, key: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/kv/${encodeURIComponent(key)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
