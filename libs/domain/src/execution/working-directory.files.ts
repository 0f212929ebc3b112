import { minimatch } from 'minimatch';
import type { TaskDefinition } from '../flow/flow.model.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { Decision } from './decision.js';
import { expressionContextOf } from './expression-scope.js';
import type { TaskRun } from './execution.state.js';
import { renderProperties, type Rendered } from './rendering.js';
import { taskOf, taskRunById } from './task-tree.js';
import { scopeOf } from './task-run.scope.js';

/*
 * Kestra's WorkingDirectory gives its tasks one folder. Chronicle's tasks run apart, so the folder
 * is a map, path → content: a kestra:/// URI (a file of the internal storage), or the text itself
 * (the WorkingDirectory's own `inputFiles`, uploaded only when captured). A LocalFiles attempt
 * reports what it wrote (`workingFiles`, uploaded by the worker); the folder a task sees is the
 * `inputFiles` plus what the task runs before it in the same WorkingDirectory wrote, in order.
 */

/** Kestra's rule for a file's content (FilesService.inputFiles): a `kestra://` URI is a file, anything else the text. */
export const isStorageUri = (content: string): boolean => content.startsWith('kestra://');

/** The WorkingDirectory a task run is in: its nearest WorkingDirectory ancestor. */
export const workingDirectoryRunOf = (d: Decision, run: Pick<TaskRun, 'parentTaskRunId'>): TaskRun | undefined => {
  for (let id = run.parentTaskRunId; id !== undefined;) {
    const parent = taskRunById(d.execution, id);
    if (parent === undefined) return undefined;
    if (taskOf(d.flow, parent.taskId)?.type === 'WorkingDirectory') return parent;
    id = parent.parentTaskRunId;
  }
  return undefined;
};

const descendsFrom = (d: Decision, run: TaskRun, ancestorId: string): boolean => {
  for (let id = run.parentTaskRunId; id !== undefined; id = taskRunById(d.execution, id)?.parentTaskRunId) {
    if (id === ancestorId) return true;
  }
  return false;
};

/** `inputs` / `inputFiles` as Kestra takes them: a map, or a JSON text of one (PluginUtilsService.transformInputFiles). */
export const fileMapOf = (value: JsonValue | undefined, what: string): Record<string, string> => {
  if (value === undefined || value === null) return {};
  let map: JsonValue = value;
  if (typeof value === 'string') {
    try {
      map = JSON.parse(value) as JsonValue;
    } catch {
      throw new Error(`${what} must be a map of path: content, or a JSON text of one`);
    }
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new Error(`${what} must be a map of path: content`);
  return Object.fromEntries(Object.entries(map).map(([path, content]) => [path, content === null ? '' : typeof content === 'string' ? content : JSON.stringify(content)]));
};

/** The WorkingDirectory's own properties, rendered in its scope. */
const renderedOwn = (d: Decision, worker: TaskRun, task: TaskDefinition, keys: readonly string[]): Rendered<JsonObject> => {
  const own = Object.fromEntries(keys.filter((k) => task.properties[k] !== undefined).map((k) => [k, task.properties[k]!]));
  const context = expressionContextOf(d.execution, { flow: d.flow, now: d.now, installation: d.installation, taskRun: scopeOf(worker, task) });
  return renderProperties(d.taskTypes, task.id, own, context);
};

/** The folder as a task run created now inside `worker` sees it. */
export const workingDirectoryFiles = (d: Decision, worker: TaskRun): Rendered<Record<string, string>> => {
  const task = taskOf(d.flow, worker.taskId);
  if (task === undefined) return { value: {} };
  const rendered = renderedOwn(d, worker, task, ['inputFiles']);
  if ('error' in rendered) return rendered;
  let files: Record<string, string>;
  try {
    files = fileMapOf(rendered.value.inputFiles, `task ${task.id}: inputFiles`);
  } catch (error) {
    return { error: (error as Error).message };
  }
  for (const run of d.execution.taskRuns) {
    if (!descendsFrom(d, run, worker.id)) continue;
    const written = run.attempts.findLast((a) => a.state === 'SUCCESS')?.workingFiles;
    if (written !== undefined) files = { ...files, ...written };
  }
  return { value: files };
};

/** Kestra's findAllFilesMatching: the files whose relative path matches any glob. */
export const filesMatching = (files: Readonly<Record<string, string>>, globs: readonly string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(files).filter(([path]) => globs.some((glob) => minimatch(path, glob, { dot: true }))));

/**
 * A WorkingDirectory's `outputFiles` once its tasks ended: Kestra's output `outputFiles`
 * (path → URI). Files the tasks wrote are in the storage already; an `inputFiles` text no task
 * wrote again is not, and the decider cannot write it: it fails with what to do instead.
 */
export const workingDirectoryOutputs = (d: Decision, worker: TaskRun, task: TaskDefinition): Rendered<JsonObject | undefined> => {
  if (task.properties.outputFiles === undefined) return { value: undefined };
  const rendered = renderedOwn(d, worker, task, ['outputFiles']);
  if ('error' in rendered) return rendered;
  const globs = rendered.value.outputFiles;
  if (!Array.isArray(globs) || globs.some((g) => typeof g !== 'string')) return { error: `task ${task.id}: outputFiles must be a list of glob patterns` };
  const files = workingDirectoryFiles(d, worker);
  if ('error' in files) return files;
  const captured = filesMatching(files.value, globs as string[]);
  const texts = Object.entries(captured).filter(([, content]) => !isStorageUri(content)).map(([path]) => path);
  if (texts.length > 0) {
    return { error: `task ${task.id}: outputFiles ${texts.join(', ')} come from inputFiles and were never written by a task; write them with io.kestra.plugin.core.storage.LocalFiles to capture them` };
  }
  return { value: { outputFiles: captured } };
};
