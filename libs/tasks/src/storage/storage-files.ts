import { randomUUID } from 'node:crypto';
import { executionPrefix, StorageFileNotFoundError, taskFileUri, type InternalStorage } from '@chronicle/use-cases';
import { TaskFailure, type TaskRunContext } from '../runnable-task.js';
import { flowOf, servicesOf } from '../task-context.js';
import { errorCodeOf } from '@chronicle/errors';

/** Helpers of the storage tasks: reading their input URIs, writing their output files. */

export const storageOf = (context: TaskRunContext): InternalStorage => servicesOf(context).storage;

/** A property that must name a file of the internal storage (Kestra checks the `kestra` scheme only). */
export const uriProperty = (context: TaskRunContext, name: string): string => {
  const value = context.job.properties[name];
  if (typeof value !== 'string' || !value.startsWith('kestra:///')) {
    throw new TaskFailure(`${name} must be an internal-storage URI (kestra:///...), got ${JSON.stringify(value)}`);
  }
  return value;
};

/** A file's content; a missing file fails the task with its URI. */
export const readFile = async (context: TaskRunContext, uri: string): Promise<Buffer> => {
  try {
    return await storageOf(context).get(uri);
  } catch (error) {
    if (error instanceof StorageFileNotFoundError) throw new TaskFailure((error as Error).message, { cause: error });
    if (errorCodeOf(error) === 'STORAGE_URI_INVALID') throw new TaskFailure((error as Error).message, { cause: error });
    throw error;
  }
};

/**
 * Stores an output file of this task run, like Kestra's `runContext.storage().putFile(tempFile)`:
 * under the task run's folder, with a fresh name that keeps the extension.
 */
export const putTaskFile = async (context: TaskRunContext, data: Buffer, extension: string): Promise<string> => {
  const { job } = context;
  const ext = extension === '' || extension.startsWith('.') ? extension : `.${extension}`;
  const uri = taskFileUri({ ...flowOf(context), executionId: job.executionId, taskId: job.taskId, taskRunId: job.taskRunId }, `${randomUUID()}${ext}`);
  return storageOf(context).put(uri, data);
};

export const currentExecutionPrefix = (context: TaskRunContext): string => executionPrefix({ ...flowOf(context), executionId: context.job.executionId });

/** Lines as Java's BufferedReader.readLine reads them: `\n`, `\r\n` or `\r` end a line; no empty last line. */
export const readLines = (data: Buffer | string): string[] => {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  if (text === '') return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/** The extension of a URI's file (Kestra's Split and Reverse keep it), `.tmp` when it has none. */
export const extensionOrTmp = (uri: string): string => {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot) : '.tmp';
};
