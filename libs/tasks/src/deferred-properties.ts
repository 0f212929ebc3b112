import {
  ExpressionError, renderWithHostCalls, renderValue, type ExpressionContext, type ExpressionHost, type HostFunctionName, type JsonObject, type JsonValue, type TaskJob,
} from '@chronicle/domain';
import { namespaceFileUri, StorageFileNotFoundError } from '@chronicle/use-cases';
import { TaskFailure } from './runnable-task.js';
import type { TaskServices } from './task-services.js';

/**
 * The host side of Kestra's I/O functions (docs/expression-host-functions.md): answers `kv()`,
 * `secret()`, `read()`, `fileSize()` and `fileExists()` from the worker's stores.
 */
export const hostFetch = (services: TaskServices) => async (fn: HostFunctionName, request: Readonly<Record<string, JsonValue>>): Promise<JsonValue | undefined> => {
  switch (fn) {
    case 'kv':
      return (await services.kv.get(String(request.namespace), String(request.key), services.now()))?.value;
    case 'secret':
      return services.secrets.get(String(request.namespace), String(request.key));
    case 'read':
      return (await services.storage.get(fileUriOf(request))).toString('utf8');
    case 'fileSize': {
      const info = await services.storage.stat(fileUriOf(request));
      if (!info) throw new StorageFileNotFoundError(String(request.uri));
      return info.size;
    }
    case 'fileExists':
      return (await services.storage.stat(fileUriOf(request))) !== undefined;
  }
};

const fileUriOf = (request: Readonly<Record<string, JsonValue>>): string =>
  request.kind === 'namespace-file' ? namespaceFileUri(String(request.namespace), String(request.path)) : String(request.uri);

/** Renders a template against the job's dispatch variables plus `extra` (FilterItems' item), with the stores as host. */
export async function renderAtRunTime(
  job: TaskJob, services: TaskServices | undefined, template: JsonValue, extra: JsonObject = {}, onSecret?: (value: string) => void,
): Promise<JsonValue> {
  const context = { ...(job.renderContext ?? {}), ...extra } as unknown as ExpressionContext;
  if (!services) return renderValue(template, context);
  const fetch = hostFetch(services);
  return renderWithHostCalls((host: ExpressionHost) => renderValue(template, { ...context, host } as ExpressionContext), async (fn, request) => {
    const value = await fetch(fn, request);
    if (fn === 'secret' && typeof value === 'string' && value !== '') onSecret?.(value);
    return value;
  });
}

/** Kestra masks secret values in task logs: every occurrence becomes `******`. */
export const maskSecretValues = (message: string, secrets: readonly string[]): string =>
  secrets.reduce((text, secret) => text.split(secret).join('******'), message);

/**
 * Renders the properties the decider left to the worker (`job.deferred`): the job the task then
 * gets is the one it would have had, had the decider been able to read the stores.
 */
export async function withDeferredRendered(job: TaskJob, services: TaskServices | undefined, onSecret?: (value: string) => void): Promise<TaskJob> {
  if (!job.deferred || job.deferred.length === 0) return job;
  const properties: JsonObject = { ...job.properties };
  for (const key of job.deferred) {
    try {
      properties[key] = await renderAtRunTime(job, services, job.properties[key] ?? null, {}, onSecret);
    } catch (error) {
      if (error instanceof ExpressionError || error instanceof Error) throw new TaskFailure(`task ${job.taskId}, property "${key}": ${error.message}`, { cause: error });
      throw error;
    }
  }
  return { ...job, properties };
}
