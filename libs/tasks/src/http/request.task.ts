import type { JsonValue } from '@chronicle/domain';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';
import { sendHttpRequest, type RequestProperties } from './http-exchange.js';
import { propertyChecks } from '@chronicle/domain';
import type { TaskModule } from '../task-module.js';
import { httpOptionsCheck, SSL_OPTIONS_REASON } from './http-options.js';
import { between, durationOrMs, map } from '../runnable-property-checks.js';

/**
 * `Request` (io.kestra.plugin.core.http.Request). Outputs `uri`, `code`, `headers` (name ->
 * list of values, as Kestra gives them) and `body` (parsed when the response is JSON).
 * A status >= 400 fails the task run unless `allowFailed` (or `options.allowFailed`).
 * The exchange itself (timeouts, size limit) is `sendHttpRequest`, which the HTTP trigger sends too.
 */
export const requestTask: RunnableTask = async ({ job, signal, metric }) => {
  const p = job.properties as RequestProperties;
  const exchange = await sendHttpRequest(p, signal);
  metric({ name: 'response.duration', type: 'timer', value: Math.round(exchange.durationMs) });
  metric({ name: 'response.length', type: 'counter', value: Buffer.byteLength(exchange.text) });
  const allowFailed = p.allowFailed === true || p.options?.allowFailed === true;
  if (exchange.code >= 400 && !allowFailed) {
    throw new TaskFailure(`http ${exchange.method} ${exchange.requestUri} failed with status ${exchange.code}${exchange.text ? `: ${exchange.text.slice(0, 500)}` : ''}`);
  }
  return { uri: exchange.uri, code: exchange.code, headers: exchange.headers, body: parseBody(exchange.contentType, exchange.text) };
};

function parseBody(type: string, text: string): JsonValue {
  if (text !== '' && /[/+]json\b/i.test(type)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}

const { boolean, oneOfAnyCase, optional, propertyValidator, required, string } = propertyChecks;
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** Request's `options`: Kestra's RequestOptions it implements (and Chronicle's `allowFailed`); the rest refused (http-options.ts). */
const requestOptions = httpOptionsCheck({
  connectTimeout: durationOrMs,
  readTimeout: durationOrMs,
  allowFailed: boolean,
  maxContentLength: between(1, 1024 * 1024 * 1024),
});

export const HTTP_REQUEST: TaskModule = {
  definition: {
    name: 'Request',
    // core/src/main/java/io/kestra/plugin/core/http/AbstractHttp.java and Request.java
    properties: ['uri', 'method', 'body', 'formData', 'contentType', 'headers', 'options', 'allowFailed'],
    refusedProperties: {
      sslOptions: SSL_OPTIONS_REASON,
      encryptBody: 'Chronicle has no encrypted outputs yet; the body is kept as it is',
    },
    fullName: 'io.kestra.plugin.core.http.Request',
    kind: 'runnable',
    validate: propertyValidator({
      uri: required('uri', string),
      method: optional(oneOfAnyCase(HTTP_METHODS)),
      headers: optional(map),
      formData: optional(map),
      contentType: optional(string),
      allowFailed: optional(boolean),
      timeout: optional(durationOrMs),
      options: optional(requestOptions),
    }),
  },
  run: requestTask,
};
