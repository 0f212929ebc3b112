import type { RunnableTask } from './runnable-task.js';
import { assertTask } from './execution/assert.task.js';
import { countTask, purgeExecutionsTask } from './execution/execution-admin.tasks.js';
import { downloadTask } from './http/download.task.js';
import { kvDeleteTask, kvGetKeysTask, kvGetTask, kvSetTask } from './kv/kv.tasks.js';
import { fetchLogsTask, purgeLogsTask } from './log/log.tasks.js';
import { deleteFilesTask, downloadFilesTask, uploadFilesTask } from './namespace/namespace-files.tasks.js';
import { stateDeleteTask, stateGetTask, stateSetTask } from './state/state.tasks.js';
import { concatTask, deleteTask, purgeCurrentExecutionFilesTask, reverseTask, sizeTask, splitTask, writeTask } from './storage/file.tasks.js';
import { toggleTask } from './trigger/toggle.task.js';
import { deduplicateItemsTask, filterItemsTask } from './storage/items.tasks.js';
import { localFilesTask } from './storage/local-files.task.js';

/** The tasks over the internal storage, the KV store and the logs (the domain's io-task-types.ts names them); TemplatedTask is in index.ts. */
export const IO_RUNNABLE_TASKS: Readonly<Record<string, RunnableTask>> = {
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
  'storage.LocalFiles': localFilesTask,
  'namespace.UploadFiles': uploadFilesTask,
  'namespace.DownloadFiles': downloadFilesTask,
  'namespace.DeleteFiles': deleteFilesTask,
  'http.Download': downloadTask,
  'log.Fetch': fetchLogsTask,
  'log.PurgeLogs': purgeLogsTask,
  'state.Set': stateSetTask,
  'state.Get': stateGetTask,
  'state.Delete': stateDeleteTask,
  'execution.Count': countTask,
  'execution.Assert': assertTask,
  'execution.PurgeExecutions': purgeExecutionsTask,
  'trigger.Toggle': toggleTask,
};
