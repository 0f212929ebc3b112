import type { JsonValue } from '@chronicle/domain';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';
import { currentExecutionPrefix, extensionOrTmp, putTaskFile, readFile, readLines, storageOf, uriProperty } from './storage-files.js';
import type { TaskModule } from '../task-module.js';
import { anyValue, boolean, bytes, ioDefinition, oneOfProperties, optional, positiveInt, READABLE_BYTES, required, string, stringOrList } from '../io-property-checks.js';

/** Kestra's storage tasks over whole files (io.kestra.plugin.core.storage.*), file by file as Kestra's classes do. */

/** `Concat`: the files one after the other, `separator` after each (Concat.java); output `uri`. */
export const concatTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const files = filesList(p.files ?? null);
  const separator = typeof p.separator === 'string' ? Buffer.from(p.separator) : undefined;
  const parts: Buffer[] = [];
  for (const file of files) {
    if (!file.startsWith('kestra:///')) throw new TaskFailure(`files must be internal-storage URIs (kestra:///...), got ${JSON.stringify(file)}`);
    parts.push(await readFile(context, file));
    if (separator) parts.push(separator);
  }
  return { uri: await putTaskFile(context, Buffer.concat(parts), typeof p.extension === 'string' ? p.extension : '.tmp') };
};

/** `files` is a list, or (Kestra) a string holding a JSON list, e.g. `{{ outputs.split.uris | json }}`. */
const filesList = (value: JsonValue): string[] => {
  let list: JsonValue = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value) as JsonValue;
    } catch {
      throw new TaskFailure(`files must be a list of URIs or a JSON list, got ${JSON.stringify(value)}`);
    }
  }
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new TaskFailure(`files must be a list of URIs, got ${JSON.stringify(value)}`);
  return list as string[];
};

/** `Split` (StorageService.split): by `bytes`, `rows` or round-robin `partitions`; each line is written followed by `separator`. */
export const splitTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const from = uriProperty(context, 'from');
  const separator = typeof p.separator === 'string' ? p.separator : '\n';
  const lines = readLines(await readFile(context, from));
  const chunks = splitLines(lines, separator, { bytes: p.bytes, rows: p.rows, partitions: p.partitions });
  const uris: string[] = [];
  for (const chunk of chunks) uris.push(await putTaskFile(context, Buffer.from(chunk), extensionOrTmp(from)));
  return { uris };
};

export function splitLines(lines: readonly string[], separator: string, by: { bytes?: JsonValue | undefined; rows?: JsonValue | undefined; partitions?: JsonValue | undefined }): string[] {
  if (by.partitions !== undefined && by.partitions !== null && by.bytes == null) {
    const n = positive(by.partitions, 'partitions');
    const parts = Array.from({ length: n }, () => '');
    lines.forEach((line, index) => (parts[index % n] += line + separator));
    return parts.filter((part) => part.length > 0);
  }
  let limit: (bytes: number, rows: number) => boolean;
  if (by.bytes !== undefined && by.bytes !== null) {
    const max = readableBytes(by.bytes);
    limit = (bytes) => bytes >= max;
  } else if (by.rows !== undefined && by.rows !== null) {
    const max = positive(by.rows, 'rows');
    limit = (_bytes, rows) => rows >= max;
  } else throw new TaskFailure('Invalid configuration with no size, count, nor rows');
  const files: string[] = [];
  let bytes = 0;
  let rows = 0;
  for (const line of lines) {
    if (files.length === 0 || limit(bytes, rows)) {
      files.push('');
      bytes = 0;
      rows = 0;
    }
    const row = line + separator;
    files[files.length - 1] += row;
    bytes += Buffer.byteLength(row);
    rows += 1;
  }
  return files;
}

const positive = (value: JsonValue, name: string): number => {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new TaskFailure(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
};

const UNITS: Readonly<Record<string, number>> = { KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
export const readableBytes = (value: JsonValue): number => {
  const match = READABLE_BYTES.exec(String(value));
  if (!match) throw new TaskFailure(`Invalid size with value '${String(value)}'`);
  return Number(match[1]) * (match[2] ? UNITS[match[2].toUpperCase()]! : 1);
};

/** `Size`: output `size` in bytes (Size.java). */
export const sizeTask: RunnableTask = async (context) => {
  const uri = uriProperty(context, 'uri');
  const info = await storageOf(context).stat(uri);
  if (!info) throw new TaskFailure(`file ${uri} does not exist in the internal storage`);
  return { size: info.size };
};

/** `Delete`: outputs `uri` and `deleted`; a missing file fails only with `errorOnMissing` (Delete.java). */
export const deleteTask: RunnableTask = async (context) => {
  const uri = uriProperty(context, 'uri');
  const deleted = await storageOf(context).delete(uri);
  if (!deleted && context.job.properties.errorOnMissing === true) throw new TaskFailure(`Unable to find file '${uri}'`);
  return { uri, deleted };
};

/** `Reverse`: the lines last to first, each followed by `separator` (Reverse.java); UTF-8 only. */
export const reverseTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const from = uriProperty(context, 'from');
  const charset = typeof p.charset === 'string' ? p.charset.toUpperCase().replace('_', '-') : 'UTF-8';
  if (charset !== 'UTF-8' && charset !== 'UTF8') throw new TaskFailure(`charset ${String(p.charset)} is not supported: Chronicle reads and writes UTF-8 only`);
  const separator = typeof p.separator === 'string' ? p.separator : '\n';
  const lines = readLines(await readFile(context, from)).reverse();
  return { uri: await putTaskFile(context, Buffer.from(lines.map((l) => l + separator).join('')), extensionOrTmp(from)) };
};

/** `PurgeCurrentExecutionFiles`: deletes every file of this execution; output `uris` (PurgeCurrentExecutionFiles.java). */
export const purgeCurrentExecutionFilesTask: RunnableTask = async (context) => ({
  uris: await storageOf(context).deleteByPrefix(currentExecutionPrefix(context)),
});

/** `Write` (io.kestra.plugin.core.storage.Write, in Kestra's current docs): `content` into a file with `extension`; output `uri`. */
export const writeTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  if (p.content === undefined || p.content === null) throw new TaskFailure('content is required');
  const content = typeof p.content === 'string' ? p.content : JSON.stringify(p.content);
  return { uri: await putTaskFile(context, Buffer.from(content), typeof p.extension === 'string' ? p.extension : '.tmp') };
};

const ST = 'io.kestra.plugin.core.storage';
const OLD_ST = 'io.kestra.core.tasks.storages';

export const STORAGE_WRITE: TaskModule = { definition: ioDefinition('storage.Write', `${ST}.Write`, { content: required('content', anyValue), extension: optional(string) }), run: writeTask };
export const STORAGE_CONCAT: TaskModule = {
  definition: ioDefinition('storage.Concat', `${ST}.Concat`, { files: required('files', stringOrList), separator: optional(string), extension: optional(string) }, { aliases: [`${OLD_ST}.Concat`] }),
  run: concatTask,
};
export const STORAGE_SPLIT: TaskModule = {
  definition: ioDefinition(
    'storage.Split', `${ST}.Split`,
    { from: required('from', string), bytes: optional(bytes), partitions: optional(positiveInt), rows: optional(positiveInt), separator: optional(string) },
    { aliases: [`${OLD_ST}.Split`] },
    oneOfProperties(['bytes', 'partitions', 'rows']),
  ),
  run: splitTask,
};
export const STORAGE_SIZE: TaskModule = { definition: ioDefinition('storage.Size', `${ST}.Size`, { uri: required('uri', string) }, { aliases: [`${OLD_ST}.Size`] }), run: sizeTask };
export const STORAGE_DELETE: TaskModule = {
  definition: ioDefinition('storage.Delete', `${ST}.Delete`, { uri: required('uri', string), errorOnMissing: optional(boolean) }, { aliases: [`${OLD_ST}.Delete`] }),
  run: deleteTask,
};
export const STORAGE_REVERSE: TaskModule = {
  definition: ioDefinition('storage.Reverse', `${ST}.Reverse`, { from: required('from', string), separator: optional(string), charset: optional(string) }, { aliases: [`${OLD_ST}.Reverse`] }),
  run: reverseTask,
};
export const STORAGE_PURGE_CURRENT_EXECUTION_FILES: TaskModule = {
  definition: ioDefinition('storage.PurgeCurrentExecutionFiles', `${ST}.PurgeCurrentExecutionFiles`, {}, { aliases: [`${OLD_ST}.PurgeExecution`, `${ST}.PurgeExecution`] }),
  run: purgeCurrentExecutionFilesTask,
};
