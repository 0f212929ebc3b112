import { namespaceFilesPrefix, namespaceFileUri, taskRunPrefix } from '@chronicle/use-cases';
import type { JsonObject, JsonValue } from '@chronicle/domain';
import { TaskFailure, type RunnableTask, type TaskRunContext } from '../runnable-task.js';
import { flowOf } from '../task-context.js';
import { readFile, storageOf } from '../storage/storage-files.js';
import { pathMatcher } from './path-matcher.js';
import type { TaskModule } from '../task-module.js';
import { ioDefinition, oneOf, optional, required, string, stringOrList, stringOrMap, type Check } from '../io-property-checks.js';

/**
 * Kestra's namespace files tasks (io.kestra.plugin.core.namespace.*): a namespace's files live in the
 * internal storage under `kestra:///<namespace as path>/_files/<path>`, the place `read('path')` and
 * `fileURI('path')` name. Paths are namespace-relative with a leading `/`.
 */

const namespaceOf = (context: TaskRunContext): string => {
  const ns = context.job.properties.namespace;
  if (ns === undefined || ns === null) return flowOf(context).namespace;
  if (typeof ns !== 'string' || ns === '') throw new TaskFailure(`namespace must be a namespace name, got ${JSON.stringify(ns)}`);
  return ns;
};

const patternsOf = (value: JsonValue | undefined): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new TaskFailure(`files must be a string or a list of strings (glob patterns, or regex:...), got ${JSON.stringify(value)}`);
};

/** The namespace's files, as `{ path: '/a/b.sql', uri }`, sorted by path. */
const namespaceFiles = async (context: TaskRunContext, namespace: string) => {
  const prefix = namespaceFilesPrefix(namespace);
  return (await storageOf(context).list(prefix)).map((f) => ({ path: `/${f.uri.slice(prefix.length)}`, uri: f.uri }));
};

/**
 * `UploadFiles`: `filesMap` (namespace path -> kestra:/// URI, or that map as JSON) into the namespace
 * under `destination`; `conflict` OVERWRITE (default), ERROR or SKIP. Kestra's `files` (globs over the
 * task's working directory) has no working directory to read here: refused at deploy.
 */
export const uploadFilesTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const namespace = namespaceOf(context);
  const destination = typeof p.destination === 'string' ? p.destination : '/';
  const conflict = typeof p.conflict === 'string' ? p.conflict : 'OVERWRITE';
  let filesMap: JsonValue | undefined = p.filesMap;
  if (typeof filesMap === 'string') {
    try {
      filesMap = JSON.parse(filesMap) as JsonValue;
    } catch {
      throw new TaskFailure('filesMap must be a map of namespace paths to kestra:/// URIs (or that map as JSON)');
    }
  }
  if (filesMap === null || typeof filesMap !== 'object' || Array.isArray(filesMap)) throw new TaskFailure('files or filesMap is required');
  const storage = storageOf(context);
  for (const [target, source] of Object.entries(filesMap)) {
    if (typeof source !== 'string') throw new TaskFailure('filesMap must be a Map<String, String>');
    // Kestra skips a source file that does not exist; one out of the flow's reach fails the task (TaskFailure).
    const found = await storage.stat(source).catch((error: unknown) => {
      if (error instanceof TaskFailure) throw error;
      return undefined;
    });
    if (found === undefined) continue;
    const uri = namespaceFileUri(namespace, `${destination.startsWith('/') ? destination : `/${destination}`}/${target}`);
    if (conflict !== 'OVERWRITE' && (await storage.stat(uri)) !== undefined) {
      if (conflict === 'SKIP') continue;
      throw new TaskFailure(`namespace file ${uri.slice(namespaceFilesPrefix(namespace).length - 1)} already exists in ${namespace} and conflict is ERROR`);
    }
    await storage.put(uri, await readFile(context, source));
  }
  return { files: {} };
};

/** `DownloadFiles`: copies the matching namespace files into this task run's storage; output `files` (path -> URI). */
export const downloadFilesTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const namespace = namespaceOf(context);
  const matches = pathMatcher(patternsOf(p.files));
  const destination = typeof p.destination === 'string' ? p.destination.replace(/^\/+|\/+$/g, '') : '';
  const { job } = context;
  const files: JsonObject = {};
  for (const file of (await namespaceFiles(context, namespace)).filter((f) => matches(f.path))) {
    const name = `${destination === '' ? '' : `${destination}/`}${file.path.slice(1)}`;
    const target = `${taskRunPrefix({ ...flowOf(context), executionId: job.executionId, taskId: job.taskId, taskRunId: job.taskRunId })}${name}`;
    files[file.path] = await storageOf(context).put(target, await readFile(context, file.uri));
  }
  context.metric({ name: 'downloaded', type: 'counter', value: Object.keys(files).length });
  return { files };
};

/** `DeleteFiles`: deletes the matching namespace files; counts them in the `deleted` metric. */
export const deleteFilesTask: RunnableTask = async (context) => {
  const namespace = namespaceOf(context);
  const matches = pathMatcher(patternsOf(context.job.properties.files));
  let deleted = 0;
  for (const file of (await namespaceFiles(context, namespace)).filter((f) => matches(f.path))) {
    if (await storageOf(context).delete(file.uri)) deleted++;
  }
  context.metric({ name: 'deleted', type: 'counter', value: deleted });
  return {};
};

const NSF = 'io.kestra.plugin.core.namespace';
const CONFLICTS = ['OVERWRITE', 'ERROR', 'SKIP'] as const;
/** UploadFiles' `files` globs a working directory, which Chronicle's tasks do not have. */
const noWorkingDirectory: Check = (v, path) => (v === undefined || v === null ? [] : [{
  path, message: 'is not supported by Chronicle: it reads a WorkingDirectory, which Chronicle\'s tasks do not share; pass kestra:/// URIs in filesMap',
}]);

export const NAMESPACE_UPLOAD_FILES: TaskModule = {
  definition: ioDefinition('namespace.UploadFiles', `${NSF}.UploadFiles`, {
    namespace: required('namespace', string), files: noWorkingDirectory, filesMap: required('filesMap', stringOrMap), destination: optional(string), conflict: optional(oneOf(CONFLICTS)),
  }),
  run: uploadFilesTask,
};
export const NAMESPACE_DOWNLOAD_FILES: TaskModule = {
  definition: ioDefinition('namespace.DownloadFiles', `${NSF}.DownloadFiles`, { namespace: required('namespace', string), files: required('files', stringOrList), destination: optional(string) }),
  run: downloadFilesTask,
};
export const NAMESPACE_DELETE_FILES: TaskModule = {
  definition: ioDefinition('namespace.DeleteFiles', `${NSF}.DeleteFiles`, { namespace: required('namespace', string), files: required('files', stringOrList) }),
  run: deleteFilesTask,
};
