import { randomUUID } from 'node:crypto';
import { fileMapOf, filesMatching, isStorageUri } from '@chronicle/domain';
import { taskFileUri } from '@chronicle/use-cases';
import { TaskFailure, type RunnableTask, type TaskRunContext } from '../runnable-task.js';
import { flowOf } from '../task-context.js';
import { storageOf } from './storage-files.js';
import type { TaskModule } from '../task-module.js';
import { ioDefinition, optional, stringList, stringOrMap } from '../io-property-checks.js';

/**
 * Kestra's LocalFiles (FilesService.inputFiles / outputFiles) over Chronicle's WorkingDirectory,
 * a map of files (the domain's working-directory.files.ts): `inputs` are written into the
 * folder (a text is stored as a file, a kestra:// URI is taken as it is) and reported as the
 * attempt's `workingFiles`, so the tasks after it see them; `outputs` globs capture files of the
 * folder as `uris` (path → URI), as Kestra's output does.
 */
export const localFilesTask: RunnableTask = async (context) => {
  const { job } = context;
  let inputs: Record<string, string>;
  try {
    inputs = fileMapOf(job.properties.inputs, 'inputs');
  } catch (error) {
    throw new TaskFailure((error as Error).message);
  }
  const written: Record<string, string> = {};
  for (const [path, content] of Object.entries(inputs)) {
    checkPath(path);
    written[path] = isStorageUri(content) ? content : await store(context, path, content);
  }
  if (Object.keys(written).length > 0) context.workingFiles?.(written);
  const folder = { ...(job.workingDirectory?.files ?? {}), ...written };
  const globs = job.properties.outputs;
  if (globs !== undefined && (!Array.isArray(globs) || globs.some((g) => typeof g !== 'string'))) throw new TaskFailure('outputs must be a list of glob patterns');
  const uris: Record<string, string> = {};
  for (const [path, content] of Object.entries(filesMatching(folder, (globs as string[] | undefined) ?? []))) {
    uris[path] = isStorageUri(content) ? content : await store(context, path, content);
  }
  return { uris };
};

/** A folder path stays inside the folder: relative, no `..` (Kestra resolves it under the working directory). */
const checkPath = (path: string): void => {
  if (path === '' || path.startsWith('/') || path.split(/[\\/]/).includes('..')) {
    throw new TaskFailure(`input file "${path}" must be a relative path inside the working directory`);
  }
};

/** Stores a file's text under the task run's folder, named like Kestra's resolveUniqueNameForFile (`<id>-<name>`). */
const store = async (context: TaskRunContext, path: string, content: string): Promise<string> => {
  const { job } = context;
  const name = `${randomUUID().slice(0, 8)}-${path.slice(path.lastIndexOf('/') + 1)}`;
  const uri = taskFileUri({ ...flowOf(context), executionId: job.executionId, taskId: job.taskId, taskRunId: job.taskRunId }, name);
  return storageOf(context).put(uri, Buffer.from(content));
};

/** Writes `inputs` into its WorkingDirectory's folder and captures `outputs` globs from it (the domain's working-directory.files.ts). */
export const STORAGE_LOCAL_FILES: TaskModule = {
  definition: ioDefinition('storage.LocalFiles', 'io.kestra.plugin.core.storage.LocalFiles', { inputs: optional(stringOrMap), outputs: optional(stringList) }, {
    aliases: ['io.kestra.core.tasks.storages.LocalFiles'],
    // Its job carries the files its WorkingDirectory's tasks wrote before it.
    job: { workingDirectoryFiles: true },
  }),
  run: localFilesTask,
};
