import type { JsonObject } from '@chronicle/domain';
import { TaskFailure, TaskKilled, type RunnableTask, type TaskRunContext } from '../runnable-task.js';
import { durationMs } from '../duration.js';
import { applyBasicAuth, parseHttpUri, redirectOf, type CommonHttpOptions } from './http-properties.js';
import { requestBody, requestHeaders, type RequestProperties } from './http-exchange.js';
import { putTaskFile, storageOf } from '../storage/storage-files.js';
import { flowOf } from '../task-context.js';
import { taskRunPrefix } from '@chronicle/use-cases';
import type { TaskModule } from '../task-module.js';
import { anyMap, boolean, ioDefinition, ISO_DURATION, oneOf, optional, required, string, type Check } from '../io-property-checks.js';
import { httpOptionsCheck, REFUSED_HTTP_OPTIONS, SSL_OPTIONS_REASON } from './http-options.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Held in memory on its way to the storage: larger downloads belong to a dedicated plugin. */
export const MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024;

/**
 * `http.Download` (io.kestra.plugin.core.http.Download): the response body into the internal
 * storage. Outputs `uri`, `code`, `length`, `headers`. A status >= 400 fails unless `allowFailed`;
 * an empty body fails unless `failOnEmptyResponse: false` (or allowFailed); a body shorter than its
 * Content-Length fails. The file is named by Content-Disposition when the server gives a name, else
 * it keeps the URL's extension (Download.java).
 */
export const downloadTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const uri = parseHttpUri(p.uri);
  const method = typeof p.method === 'string' ? p.method.toUpperCase() : 'GET';
  if (!METHODS.has(method)) throw new TaskFailure(`method must be one of ${[...METHODS].join(', ')}, got ${JSON.stringify(p.method)}`);
  const options = (p.options ?? {}) as JsonObject & CommonHttpOptions;
  const allowFailed = p.allowFailed === true || options.allowFailed === true;
  const timeoutMs = durationMs(p.timeout, 'timeout') ?? durationMs(options.readTimeout, 'options.readTimeout');
  const controller = new AbortController();
  const onKill = () => controller.abort(new TaskKilled());
  context.signal.addEventListener('abort', onKill, { once: true });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new TaskFailure(`http ${method} ${uri}: the download exceeded ${timeoutMs} ms`)), timeoutMs);
  try {
    // AbstractHttp.request, as Request builds it: formData/contentType/body, headers, basic auth; redirects unless followRedirects: false.
    const http = p as RequestProperties;
    const response = await fetch(uri, { method, headers: applyBasicAuth(requestHeaders(http), options), body: requestBody(http, method), signal: controller.signal, redirect: redirectOf(options) });
    if (response.status >= 400 && !allowFailed) throw new TaskFailure(`Failed http request with response code '${response.status}' (${method} ${uri})`);
    const body = await readAll(response);
    const headers: Record<string, string[]> = {};
    response.headers.forEach((value, name) => (headers[name] ??= []).push(value));
    const declared = response.headers.get('content-length');
    if (declared !== null && response.headers.get('content-encoding') === null && Number(declared) !== body.length) {
      throw new TaskFailure(`Invalid size, got ${body.length}, expected ${declared}`);
    }
    context.metric({ name: 'response.length', type: 'counter', value: body.length });
    if (body.length === 0) {
      if (p.failOnEmptyResponse !== false && !allowFailed) throw new TaskFailure(`No response from server (${method} ${uri} returned an empty body)`);
      context.log('WARN', `File '${uri}' is empty`);
    }
    const name = filenameFromHeader(response.headers.get('content-disposition'));
    const stored = name ? await putNamed(context, name, body) : await putTaskFile(context, body, extensionOfUrl(uri));
    return { uri: stored, code: response.status, length: body.length, headers };
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason instanceof TaskFailure) throw controller.signal.reason;
    if (error instanceof TaskFailure) throw error;
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new TaskFailure(`http ${method} ${uri} failed: ${cause}`, { cause: error });
  } finally {
    if (timer) clearTimeout(timer);
    context.signal.removeEventListener('abort', onKill);
  }
};

const putNamed = (context: TaskRunContext, name: string, body: Buffer): Promise<string> => {
  const { job } = context;
  const prefix = taskRunPrefix({ ...flowOf(context), executionId: job.executionId, taskId: job.taskId, taskRunId: job.taskRunId });
  return storageOf(context).put(`${prefix}${encodeURIComponent(name)}`, body);
};

async function readAll(response: Response): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_DOWNLOAD_BYTES) throw new TaskFailure(`the download is larger than ${MAX_DOWNLOAD_BYTES} bytes, Chronicle's limit for http.Download`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Content-Disposition's file name (`filename=`, `filename*=UTF-8''...`), last path segment only. */
export function filenameFromHeader(header: string | null): string | undefined {
  if (!header) return undefined;
  let name: string | undefined;
  for (const part of header.split(';').map((s) => s.trim())) {
    if (part.startsWith('filename*')) {
      const value = part.slice(part.indexOf('=') + 1);
      const encoded = value.slice(value.lastIndexOf("'") + 1);
      try {
        name = decodeURIComponent(encoded.replace(/^"|"$/g, ''));
      } catch {
        name = encoded;
      }
    } else if (part.startsWith('filename') && name === undefined) name = part.slice(part.indexOf('=') + 1).replace(/^"|"$/g, '');
  }
  if (!name) return undefined;
  const last = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  return last === '' || last === '.' || last === '..' ? undefined : last;
}

/** The extension of the URL's last path segment (Kestra keeps it on the downloaded file). */
export function extensionOfUrl(uri: string): string {
  const path = new URL(uri).pathname;
  const last = path.slice(path.lastIndexOf('/') + 1);
  const dot = last.indexOf('.');
  return dot >= 0 ? last.slice(dot) : '';
}

/** http.Download's `options`: `readTimeout` bounds the whole download (and Chronicle's `allowFailed`); see http-options.ts. */
const downloadOptions: Check = httpOptionsCheck({
  readTimeout: (v, path) => (typeof v === 'string' && ISO_DURATION.test(v) ? [] : [{ path, message: 'must be an ISO-8601 duration such as PT10S' }]),
  allowFailed: (v, path) => (typeof v === 'boolean' ? [] : [{ path, message: 'must be true or false' }]),
}, {
  ...REFUSED_HTTP_OPTIONS,
  connectTimeout: 'http.Download bounds the whole download with readTimeout (and the task\'s timeout), not the connection alone',
  maxContentLength: `http.Download stores at most 256 MiB, Chronicle's fixed limit`,
});
const sslOptions: Check = (v, path) => (v === undefined || v === null ? [] : [{ path, message: `"sslOptions" is not supported by Chronicle: ${SSL_OPTIONS_REASON}` }]);

export const HTTP_DOWNLOAD: TaskModule = {
  definition: ioDefinition('http.Download', 'io.kestra.plugin.core.http.Download', {
    uri: required('uri', string), method: optional(oneOf(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])), headers: optional(anyMap), body: optional(string),
    // AbstractHttp's: sent as Request sends them (url-encoded, or multipart when contentType says so).
    formData: optional(anyMap), contentType: optional(string),
    allowFailed: optional(boolean), failOnEmptyResponse: optional(boolean), options: optional(downloadOptions), sslOptions,
  }, { aliases: ['io.kestra.plugin.fs.http.Download'] }),
  run: downloadTask,
};
