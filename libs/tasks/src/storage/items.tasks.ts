import { ExpressionError, isTruthy, type JsonObject, type JsonValue } from '@chronicle/domain';
import { renderAtRunTime } from '../deferred-properties.js';
import { TaskFailure, type RunnableTask, type TaskRunContext } from '../runnable-task.js';
import { putTaskFile, readFile, readLines, uriProperty } from './storage-files.js';
import type { TaskModule } from '../task-module.js';
import { ioDefinition, oneOf, optional, required, string } from '../io-property-checks.js';

/**
 * Kestra's item tasks (DeduplicateItems.java, FilterItems.java): a file of items, one per line,
 * each rendered through an expression whose variables are the item's fields (over the run's own).
 * Kestra writes items as Ion; Chronicle reads each line as JSON (Ion's JSON subset), the form its
 * tasks write. The expression (`expr`, `filterCondition`) reaches the worker raw: the decider cannot
 * render it, the item is only known here.
 */

const itemOf = (line: string, index: number): JsonObject => {
  let item: JsonValue;
  try {
    item = JSON.parse(line) as JsonValue;
  } catch {
    throw new TaskFailure(`line ${index + 1} is not a JSON item (Chronicle reads items as one JSON value per line): ${line.slice(0, 200)}`);
  }
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new TaskFailure(`line ${index + 1} is not a map of fields: ${line.slice(0, 200)}`);
  return item;
};

const renderFor = async (context: TaskRunContext, template: string, item: JsonObject): Promise<string> => {
  const rendered = await renderAtRunTime(context.job, context.services, template, item);
  return typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
};

const stringProperty = (context: TaskRunContext, name: string): string => {
  const value = context.job.properties[name];
  if (typeof value !== 'string') throw new TaskFailure(`${name} must be an expression (a string), got ${JSON.stringify(value)}`);
  return value;
};

/** Keeps the last item of each key, in the order of the file; outputs uri, numKeys, processedItemsTotal, droppedItemsTotal. */
export const deduplicateItemsTask: RunnableTask = async (context) => {
  const from = uriProperty(context, 'from');
  const expr = stringProperty(context, 'expr');
  const lines = readLines(await readFile(context, from));
  const keys: string[] = [];
  const lastOffset = new Map<string, number>();
  for (const [index, line] of lines.entries()) {
    const key = await renderFor(context, expr, itemOf(line, index)).catch(expressionFailure(expr));
    keys.push(key);
    lastOffset.set(key, index);
  }
  const kept = lines.filter((_line, index) => lastOffset.get(keys[index]!) === index);
  const uri = await putTaskFile(context, Buffer.from(kept.map((l) => `${l}\n`).join('')), '.ion');
  return { uri, numKeys: lastOffset.size, processedItemsTotal: lines.length, droppedItemsTotal: lines.length - kept.length };
};

/** Keeps (INCLUDE) or drops (EXCLUDE) the items whose condition is true; errorOrNullBehavior decides for an error. */
export const filterItemsTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const from = uriProperty(context, 'from');
  const condition = stringProperty(context, 'filterCondition');
  const filterType = p.filterType === 'EXCLUDE' ? 'EXCLUDE' : 'INCLUDE';
  const onError = p.errorOrNullBehavior === 'INCLUDE' || p.errorOrNullBehavior === 'EXCLUDE' ? p.errorOrNullBehavior : 'FAIL';
  const lines = readLines(await readFile(context, from));
  const kept: string[] = [];
  for (const [index, line] of lines.entries()) {
    let action: 'INCLUDE' | 'EXCLUDE';
    try {
      const match = isTruthy((await renderFor(context, condition, itemOf(line, index))).trim());
      action = match ? filterType : filterType === 'INCLUDE' ? 'EXCLUDE' : 'INCLUDE';
    } catch (error) {
      if (!(error instanceof ExpressionError) || onError === 'FAIL') throw expressionFailure(condition)(error);
      action = onError;
    }
    if (action === 'INCLUDE') kept.push(line);
  }
  const uri = await putTaskFile(context, Buffer.from(kept.map((l) => `${l}\n`).join('')), '.ion');
  return { uri, processedItemsTotal: lines.length, droppedItemsTotal: lines.length - kept.length };
};

const expressionFailure = (template: string) => (error: unknown): never => {
  if (error instanceof ExpressionError) throw new TaskFailure(`expression ${template.trim()} failed on an item: ${error.message}`, { cause: error });
  throw error;
};

const ST = 'io.kestra.plugin.core.storage';
const OLD_ST = 'io.kestra.core.tasks.storages';

export const STORAGE_DEDUPLICATE_ITEMS: TaskModule = {
  definition: ioDefinition('storage.DeduplicateItems', `${ST}.DeduplicateItems`, { from: required('from', string), expr: required('expr', string) }, {
    aliases: [`${OLD_ST}.DeduplicateItems`], io: { rawProperties: ['expr'] },
  }),
  run: deduplicateItemsTask,
};
export const STORAGE_FILTER_ITEMS: TaskModule = {
  definition: ioDefinition('storage.FilterItems', `${ST}.FilterItems`, {
    from: required('from', string), filterCondition: required('filterCondition', string), filterType: optional(oneOf(['INCLUDE', 'EXCLUDE'])),
    errorOrNullBehavior: optional(oneOf(['FAIL', 'INCLUDE', 'EXCLUDE'])),
  }, { aliases: [`${OLD_ST}.FilterItems`], io: { rawProperties: ['filterCondition'] } }),
  run: filterItemsTask,
};
