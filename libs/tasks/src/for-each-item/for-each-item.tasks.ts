import type { JsonObject, JsonValue } from '@chronicle/domain';
import { TaskFailure, type RunnableTask, type TaskRunContext } from '../runnable-task.js';
import { parseSize, splitItems, type BatchOptions } from './batches.js';

/**
 * The worker side of ForEachItem's internal tasks (Kestra's ForEachItemSplit and
 * ForEachItemMergeOutputs). Both use the internal storage port (`put`/`get` of `kestra:///`
 * URIs) that the worker's task services provide.
 */
interface ItemsStorage {
  put(uri: string, data: Buffer, contentType?: string): Promise<string>;
  get(uri: string): Promise<Buffer>;
}

const storageOf = (context: TaskRunContext): ItemsStorage => {
  const storage = (context as { services?: { storage?: ItemsStorage } }).services?.storage;
  if (storage === undefined) throw new TaskFailure(`task type ${context.job.type} needs the internal storage, which this worker was not given`);
  return storage;
};

/** Kestra's layout: kestra:///<namespace as path>/<flowId>/executions/<id>/tasks/<taskId>/<taskRunId>/<file>. */
const taskFileUri = (context: TaskRunContext, file: string): string => {
  const { job } = context;
  const p = job.properties;
  const seg = (v: JsonValue | undefined) => String(v ?? '').replace(/[/\\]/g, '_');
  return `kestra:///${String(p.namespace ?? '').replace(/\./g, '/')}/${seg(p.flowId)}/executions/${seg(job.executionId)}/tasks/${seg(job.taskId)}/${seg(job.taskRunId)}/${file}`;
};

const integer = (value: JsonValue | undefined, name: string): number | undefined => {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 1) throw new TaskFailure(`batch.${name} must be an integer >= 1, got ${JSON.stringify(value)}`);
  return n;
};

const batchOptions = (raw: JsonValue | undefined): BatchOptions => {
  const b = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as JsonObject;
  const bytes = b.bytes === undefined || b.bytes === null ? undefined : parseSize(String(b.bytes));
  if (b.bytes !== undefined && b.bytes !== null && bytes === undefined) throw new TaskFailure(`batch.bytes must be a size such as 10MB, got ${JSON.stringify(b.bytes)}`);
  const rows = integer(b.rows, 'rows');
  const partitions = integer(b.partitions, 'partitions');
  return {
    ...(rows !== undefined ? { rows } : {}),
    ...(bytes !== undefined ? { bytes } : {}),
    ...(partitions !== undefined ? { partitions } : {}),
    ...(typeof b.separator === 'string' && b.separator !== '' ? { separator: b.separator } : {}),
  };
};

/** Splits `items` into batch files; outputs Kestra's `splits` (a file listing them) and their `uris`. */
export const forEachItemSplitTask: RunnableTask = async (context) => {
  const items = String(context.job.properties.items ?? '');
  if (!items.startsWith('kestra://')) throw new TaskFailure(`Unable to split the items from ${items}, this is not an internal storage URI!`);
  const storage = storageOf(context);
  const batches = splitItems((await storage.get(items)).toString('utf8'), batchOptions(context.job.properties.batch));
  const extension = /\.[A-Za-z0-9]+$/.exec(items)?.[0] ?? '.txt';
  const uris: string[] = [];
  for (const [i, batch] of batches.entries()) uris.push(await storage.put(taskFileUri(context, `${i + 1}${extension}`), Buffer.from(batch), 'text/plain'));
  const splits = await storage.put(taskFileUri(context, 'splits.txt'), Buffer.from(uris.join('\n')), 'text/plain');
  context.log('INFO', `${items} split into ${uris.length} batch(es)`);
  return { splits, uris };
};

/** Writes the subflows' outputs (one JSON line each, readable as ION) into one file: Kestra's `subflowOutputs`. */
export const forEachItemMergeTask: RunnableTask = async (context): Promise<JsonObject> => {
  const outputs = context.job.properties.subflowOutputs;
  if (!Array.isArray(outputs) || outputs.length === 0) return {};
  const uri = await storageOf(context).put(taskFileUri(context, 'outputs.ion'), Buffer.from(outputs.map((o) => JSON.stringify(o)).join('\n') + '\n'), 'application/octet-stream');
  return { subflowOutputs: uri };
};
