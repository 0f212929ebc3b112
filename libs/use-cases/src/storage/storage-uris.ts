import { InvalidStorageUriError } from './internal-storage.port.js';

/**
 * Kestra's layout of the internal storage (StorageContext.java), so that URIs read the same:
 *   kestra:///<namespace as path>/<flowId>/executions/<executionId>/tasks/<taskId>/<taskRunId>/<file>
 *   kestra:///<namespace as path>/<flowId>/executions/<executionId>/inputs/<inputId>/<file>
 *   kestra:///<namespace as path>/_files/<path>          (namespace files)
 */
export const KESTRA_SCHEME = 'kestra://';

/** `company.team` → `company/team`, as Kestra stores namespaces. */
export const namespacePath = (namespace: string): string => namespace.replace(/\./g, '/');

export interface ExecutionRef {
  readonly namespace: string;
  readonly flowId: string;
  readonly executionId: string;
}

export interface TaskRunRef extends ExecutionRef {
  readonly taskId: string;
  readonly taskRunId: string;
}

/** Kestra's Slugify.of, which it applies to flow and task ids in storage paths: `My_Flow` → `my-flow`. */
export const slugify = (input: string): string => {
  let slug = input.replace(/\s/g, '-').normalize('NFD').replace(/[^\w-]/g, '').replaceAll('_', '-');
  while (slug.includes('--')) slug = slug.replaceAll('--', '-');
  return slug.replace(/^-/, '').replace(/-$/, '').toLowerCase();
};

export const executionPrefix = (e: ExecutionRef): string =>
  `${KESTRA_SCHEME}/${namespacePath(e.namespace)}/${segment(slugify(e.flowId))}/executions/${segment(e.executionId)}/`;

export const taskRunPrefix = (t: TaskRunRef): string => `${executionPrefix(t)}tasks/${segment(slugify(t.taskId))}/${segment(t.taskRunId)}/`;

export const taskFileUri = (t: TaskRunRef, fileName: string): string => `${taskRunPrefix(t)}${fileSegment(fileName)}`;

export const inputFileUri = (e: ExecutionRef, inputId: string, fileName: string): string =>
  `${executionPrefix(e)}inputs/${segment(inputId)}/${fileSegment(fileName)}`;

export const namespaceFilesPrefix = (namespace: string): string => `${KESTRA_SCHEME}/${namespacePath(namespace)}/_files/`;

/** A namespace file's URI; `path` is relative to the namespace (a leading `/` is dropped). */
export const namespaceFileUri = (namespace: string, path: string): string => {
  const relative = normalizePath(path.replace(/^\/+/, ''));
  if (relative === '') throw new InvalidStorageUriError(path, 'a namespace file needs a path');
  return `${namespaceFilesPrefix(namespace)}${relative}`;
};

/**
 * Checks a URI and returns its path (`/a/b/c`). Refuses other schemes, relative segments and
 * empty segments: an adapter maps the path onto a folder, so `..` must never reach it.
 */
export const storagePathOf = (uri: string): string => {
  if (typeof uri !== 'string' || !uri.startsWith(`${KESTRA_SCHEME}/`)) throw new InvalidStorageUriError(String(uri), 'it must start with kestra:///');
  const path = uri.slice(KESTRA_SCHEME.length);
  const segments = path.slice(1).split('/');
  const folder = path.endsWith('/');
  for (const [index, s] of segments.entries()) {
    if (s === '' && folder && index === segments.length - 1) continue;
    if (s === '' || s === '.' || s === '..') throw new InvalidStorageUriError(uri, 'empty, "." and ".." path segments are not allowed');
    if (s.includes('\\') || s.includes('\0')) throw new InvalidStorageUriError(uri, 'backslashes and NUL are not allowed');
  }
  return path;
};

/** The last segment of a URI: the file's name. */
export const fileNameOf = (uri: string): string => uri.slice(uri.lastIndexOf('/') + 1);

/** The extension of a URI's file name, with its dot (`.csv`), or '' . */
export const extensionOf = (uri: string): string => {
  const name = fileNameOf(uri);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
};

const normalizePath = (path: string): string => {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new InvalidStorageUriError(path, 'a path must not contain ".."');
  return segments.join('/');
};

/** One path segment from an id or a name: slashes would invent folders. */
const segment = (value: string): string => value.replace(/[/\\]/g, '_');
const fileSegment = (name: string): string => {
  const s = segment(name);
  return s === '' || s === '.' || s === '..' ? 'file' : s;
};
