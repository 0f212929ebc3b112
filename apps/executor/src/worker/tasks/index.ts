import type { RunnableTask } from '../runnable-task.js';
import { echoTask } from './echo.task.js';
import { failTask } from './fail.task.js';
import { logTask } from './log.task.js';
import { outputValuesTask } from './output-values.task.js';
import { requestTask } from './request.task.js';
import { returnTask } from './return.task.js';
import { scriptTask } from './script.task.js';
import { kvDeleteTask, kvGetKeysTask, kvGetTask, kvSetTask } from './kv/kv.tasks.js';
import { concatTask, deleteTask, purgeCurrentExecutionFilesTask, reverseTask, sizeTask, splitTask, writeTask } from './storage/file.tasks.js';
import { deduplicateItemsTask, filterItemsTask } from './storage/items.tasks.js';
import { downloadTask } from './http/download.task.js';
import { fetchLogsTask, purgeLogsTask } from './log/log.tasks.js';
import { stateDeleteTask, stateGetTask, stateSetTask } from './state/state.tasks.js';
import { templatedTask } from './templating/templated.task.js';
import { deleteFilesTask, downloadFilesTask, uploadFilesTask } from './namespace/namespace-files.tasks.js';

/** Runnable task implementations by canonical short type name (the domain's registry names them). */
export const RUNNABLE_TASKS: Readonly<Record<string, RunnableTask>> = {
  Log: logTask,
  Echo: echoTask,
  Return: returnTask,
  OutputValues: outputValuesTask,
  Fail: failTask,
  Request: requestTask,
  Script: scriptTask,
  // Internal storage and KV (io-task-types.ts in the domain).
  'kv.Set': kvSetTask,
  'kv.Get': kvGetTask,
  'kv.GetKeys': kvGetKeysTask,
  'kv.Delete': kvDeleteTask,
  'storage.Write': writeTask,
  'storage.Concat': concatTask,
  'storage.Split': splitTask,
  'storage.Size': sizeTask,
  'storage.Delete': deleteTask,
  'storage.Reverse': reverseTask,
  'storage.DeduplicateItems': deduplicateItemsTask,
  'storage.FilterItems': filterItemsTask,
  'storage.PurgeCurrentExecutionFiles': purgeCurrentExecutionFilesTask,
  'namespace.UploadFiles': uploadFilesTask,
  'namespace.DownloadFiles': downloadFilesTask,
  'namespace.DeleteFiles': deleteFilesTask,
  'http.Download': downloadTask,
  'log.Fetch': fetchLogsTask,
  'log.PurgeLogs': purgeLogsTask,
  'state.Set': stateSetTask,
  'state.Get': stateGetTask,
  'state.Delete': stateDeleteTask,
  // Runs the task its spec describes, looked up here when it runs (the registry names itself).
  'templating.TemplatedTask': templatedTask((type) => RUNNABLE_TASKS[type]),
};
