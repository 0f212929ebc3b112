import type { JsonObject } from '@chronicle/domain';
import { TaskFailure, TaskKilled } from '../runnable-task.js';
import { durationMs } from '../duration.js';
import { applyBasicAuth, headersOf, parseHttpUri, redirectOf, type CommonHttpOptions } from './http-properties.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
const DEFAULT_READ_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

/** Kestra's AbstractHttp properties as the Request task (and the HTTP trigger) take them, rendered. */
export interface RequestProperties {
  uri?: unknown;
  method?: unknown;
  headers?: unknown;
  body?: unknown;
  formData?: unknown;
  contentType?: unknown;
  allowFailed?: unknown;
  timeout?: unknown;
  options?: ({ connectTimeout?: unknown; readTimeout?: unknown; allowFailed?: unknown; maxContentLength?: unknown } & CommonHttpOptions) | null;
}

/** One request and its whole response, whatever its status (the caller decides what a 4xx means). */
export interface HttpExchange {
  /** The method sent and the uri asked for (normalised), for messages. */
  readonly method: string;
  readonly requestUri: string;
  /** Where the response came from (after redirects). */
  readonly uri: string;
  readonly code: number;
  /** Name -> list of values, as Kestra gives them. */
  readonly headers: JsonObject;
  /** The body read as UTF-8 text. */
  readonly text: string;
  readonly contentType: string;
  readonly durationMs: number;
}

/**
 * Sends a request as Kestra's Request task does and reads the whole response. Timeouts:
 * `options.connectTimeout` bounds the wait for the response headers (30 s), `options.readTimeout`
 * the reading of the body (10 s), `timeout` the whole request; the body may not exceed
 * `options.maxContentLength` (10 MiB). Throws TaskFailure (what went wrong, in words) or
 * TaskKilled (`signal` aborted). Used by the Request task and by the scheduler's HTTP trigger.
 */
export async function sendHttpRequest(p: RequestProperties, signal: AbortSignal): Promise<HttpExchange> {
  const uri = parseHttpUri(p.uri);
  const method = typeof p.method === 'string' ? p.method.toUpperCase() : p.method === undefined ? 'GET' : '';
  if (!METHODS.has(method)) throw new TaskFailure(`method must be one of ${[...METHODS].join(', ')}, got ${JSON.stringify(p.method)}`);
  const options = p.options ?? {};
  const connectMs = durationMs(options.connectTimeout, 'options.connectTimeout') ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const readMs = durationMs(options.readTimeout, 'options.readTimeout') ?? DEFAULT_READ_TIMEOUT_MS;
  const totalMs = durationMs(p.timeout, 'timeout');
  const maxLength = typeof options.maxContentLength === 'number' ? options.maxContentLength : DEFAULT_MAX_CONTENT_LENGTH;

  const controller = new AbortController();
  let phase: 'connect' | 'read' | 'timeout' | 'killed' | undefined;
  const abort = (why: typeof phase) => {
    phase ??= why;
    controller.abort();
  };
  const onKill = () => abort('killed');
  signal.addEventListener('abort', onKill, { once: true });
  if (signal.aborted) onKill();
  const total = totalMs === undefined ? undefined : setTimeout(() => abort('timeout'), totalMs);
  let phaseTimer = setTimeout(() => abort('connect'), connectMs);
  const started = performance.now();
  try {
    const response = await fetch(uri, { method, headers: applyBasicAuth(requestHeaders(p), options), body: requestBody(p, method), signal: controller.signal, redirect: redirectOf(options) });
    clearTimeout(phaseTimer);
    phaseTimer = setTimeout(() => abort('read'), readMs);
    const text = await readLimited(response, maxLength);
    return {
      method, requestUri: uri, uri: response.url || uri, code: response.status, headers: responseHeaders(response), text,
      contentType: response.headers.get('content-type') ?? '', durationMs: performance.now() - started,
    };
  } catch (error) {
    if (error instanceof TaskFailure) throw error;
    if (phase === 'killed') throw new TaskKilled();
    if (phase === 'connect') throw new TaskFailure(`http ${method} ${uri}: no response within the connect timeout of ${connectMs} ms`);
    if (phase === 'read') throw new TaskFailure(`http ${method} ${uri}: reading the response took longer than the read timeout of ${readMs} ms`);
    if (phase === 'timeout') throw new TaskFailure(`http ${method} ${uri}: the request exceeded its timeout of ${totalMs} ms`);
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new TaskFailure(`http ${method} ${uri} failed: ${cause}`, { cause: error });
  } finally {
    clearTimeout(phaseTimer);
    if (total) clearTimeout(total);
    signal.removeEventListener('abort', onKill);
  }
}

/** AbstractHttp's headers: `headers`, then `contentType` (or JSON for a body). Shared with http.Download. */
export function requestHeaders(p: RequestProperties): Headers {
  const headers = headersOf(p.headers);
  const hasBody = p.body !== undefined && p.body !== null;
  if (typeof p.contentType === 'string' && !headers.has('content-type') && !(p.formData && p.contentType.startsWith('multipart/'))) {
    headers.set('content-type', p.contentType);
  } else if (hasBody && !headers.has('content-type')) {
    headers.set('content-type', 'application/json');
  }
  return headers;
}

/** AbstractHttp's body: `formData` (url-encoded, or multipart), else `body`. Shared with http.Download. */
export function requestBody(p: RequestProperties, method: string): string | FormData | URLSearchParams | undefined {
  if (p.formData !== undefined && p.formData !== null) {
    if (typeof p.formData !== 'object' || Array.isArray(p.formData)) throw new TaskFailure('formData must be a map of names to values');
    const entries = Object.entries(p.formData as JsonObject).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]);
    if (typeof p.contentType === 'string' && p.contentType.startsWith('multipart/')) {
      const form = new FormData();
      for (const [k, v] of entries) form.append(k, v);
      return form;
    }
    return new URLSearchParams(entries);
  }
  if (p.body === undefined || p.body === null) return undefined;
  if (method === 'GET' || method === 'HEAD') throw new TaskFailure(`a ${method} request cannot have a body`);
  return typeof p.body === 'string' ? p.body : JSON.stringify(p.body);
}

async function readLimited(response: Response, maxLength: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxLength) throw new TaskFailure(`the response body is larger than options.maxContentLength (${maxLength} bytes)`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function responseHeaders(response: Response): JsonObject {
  const headers: Record<string, string[]> = {};
  response.headers.forEach((value, name) => {
    (headers[name] ??= []).push(value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  return headers;
}

