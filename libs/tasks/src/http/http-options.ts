import type { JsonObject, JsonValue, TaskPropertyIssue } from '@chronicle/domain';

/**
 * The `options` of Kestra's http tasks (HttpInterface.RequestOptions,
 * core/src/main/java/io/kestra/plugin/core/http/HttpInterface.java) and `sslOptions`: each one a
 * task implements is checked by its own check; the others are refused at deploy with the reason,
 * and a key Kestra does not have is an unknown property. Never silently ignored.
 */
type Check = (value: JsonValue | undefined, path: (string | number)[]) => TaskPropertyIssue[];

const NO_PROXY = "Chronicle's HTTP tasks connect directly: a proxy cannot be configured";

/** Kestra's RequestOptions Chronicle does not implement, with why. */
export const REFUSED_HTTP_OPTIONS: Readonly<Record<string, string>> = {
  readIdleTimeout: 'Chronicle bounds the reading of the body with readTimeout (and the task\'s timeout); there is no separate idle timeout',
  connectionPoolIdleTimeout: "the worker's HTTP client keeps its own connection pool, which a task cannot tune",
  proxyType: NO_PROXY,
  proxyAddress: NO_PROXY,
  proxyPort: NO_PROXY,
  proxyUsername: NO_PROXY,
  proxyPassword: NO_PROXY,
  defaultCharset: 'Chronicle reads response bodies as UTF-8',
  logLevel: 'Chronicle does not log HTTP exchanges; the outputs hold the code, the headers and the body',
};

/** Kestra's `sslOptions` (SslOptions.insecureTrustAllCertificates). */
export const SSL_OPTIONS_REASON = 'Chronicle uses the platform certificate store; custom trust or client certificates are not configurable yet';

const isMap = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isExpression = (value: JsonValue | undefined): boolean => typeof value === 'string' && value.includes('{{');

const text: Check = (v, path) => (typeof v === 'string' ? [] : [{ path, message: 'must be a string' }]);
const flag: Check = (v, path) => (typeof v === 'boolean' ? [] : [{ path, message: 'must be true or false' }]);

/** Implemented by both http tasks: HTTP basic authentication (both or neither) and redirects (followed unless false). */
export const COMMON_HTTP_OPTIONS: Readonly<Record<string, Check>> = { basicAuthUser: text, basicAuthPassword: text, followRedirects: flag };

/** Checks an `options` mapping: `implemented` ones by their check, Kestra's others refused, unknown ones reported. */
export const httpOptionsCheck = (implemented: Readonly<Record<string, Check>>, refused: Readonly<Record<string, string>> = REFUSED_HTTP_OPTIONS): Check => (v, path) => {
  if (!isMap(v)) return [{ path, message: 'must be a mapping' }];
  const all = { ...COMMON_HTTP_OPTIONS, ...implemented };
  const issues = Object.entries(v).flatMap(([key, value]): TaskPropertyIssue[] => {
    const at = [...path, key];
    if (Object.hasOwn(all, key)) return value === undefined || value === null || isExpression(value) ? [] : all[key]!(value, at);
    if (Object.hasOwn(refused, key)) return [{ path: at, message: `"${key}" is not supported by Chronicle: ${refused[key]}` }];
    return [{ path: at, message: `unknown property "${key}" of options (Kestra's are ${[...Object.keys(all), ...Object.keys(refused)].join(', ')})` }];
  });
  const has = (k: string) => v[k] !== undefined && v[k] !== null;
  if (has('basicAuthUser') !== has('basicAuthPassword')) issues.push({ path, message: 'basicAuthUser and basicAuthPassword go together: set both or neither' });
  return issues;
};
