import type { JsonObject } from '@chronicle/domain';
import { TaskFailure } from '../runnable-task.js';

/** An http(s) `uri` property of the http tasks (Request, Download), refused with what is wrong. */
export function parseHttpUri(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new TaskFailure('uri is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TaskFailure(`uri is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TaskFailure(`uri must be http or https, got ${url.protocol}`);
  return url.toString();
}

/** A `headers` property: names to a value or a list of values (JSON for anything not text). */
export function headersOf(value: unknown): Headers {
  const headers = new Headers();
  if (value === undefined || value === null) return headers;
  if (typeof value !== 'object' || Array.isArray(value)) throw new TaskFailure('headers must be a map of names to values');
  for (const [name, v] of Object.entries(value as JsonObject)) {
    for (const item of Array.isArray(v) ? v : [v]) headers.append(name, typeof item === 'string' ? item : JSON.stringify(item));
  }
  return headers;
}

/** `options` of the http tasks that Kestra's AbstractHttp applies to every request (HttpInterface.RequestOptions). */
export interface CommonHttpOptions {
  basicAuthUser?: unknown;
  basicAuthPassword?: unknown;
  followRedirects?: unknown;
}

/** Kestra's `request.basicAuth(user, password)` when both are given: an `Authorization: Basic` header, unless one is set already. */
export function applyBasicAuth(headers: Headers, options: CommonHttpOptions | null | undefined): Headers {
  const user = options?.basicAuthUser;
  const password = options?.basicAuthPassword;
  if (typeof user === 'string' && typeof password === 'string' && !headers.has('authorization')) {
    headers.set('authorization', `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`);
  }
  return headers;
}

/** `followRedirects` (Kestra's default: true); `false` returns the 3xx response itself. */
export function redirectOf(options: CommonHttpOptions | null | undefined): 'follow' | 'manual' {
  return options?.followRedirects === false ? 'manual' : 'follow';
}
