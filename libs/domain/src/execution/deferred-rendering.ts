import type { ExpressionContext } from '../expression/expression-context.js';
import type { TaskDefinition } from '../flow/flow.model.js';
import type { TaskCatalog } from '../task-types/task-catalog.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { Execution } from './execution.state.js';
import type { TaskJob } from './task-job.js';

/**
 * Where rendering happens (docs/internal-storage.md): the decider renders a job's properties at
 * dispatch, without I/O. A property that calls a function needing a store — `kv()`, `secret()`,
 * `read()`, `fileSize()`, `fileExists()`, `isFileEmpty()` — is left raw and named in `job.deferred`: the worker renders
 * it at run time, against the same variables (`job.renderContext`, the context of the dispatch,
 * `now` included) and with a host that reads the stores. Rendering the same template with the same
 * variables gives the same text wherever it runs, so deferring more than needed is harmless: the
 * test is textual and errs on the side of deferring.
 */
const IO_CALL = /\b(?:kv|secret|read|fileSize|fileExists|isFileEmpty)\s*\(/;
const TEMPLATE = /\{\{|\{%/;

/** True when a property's value holds a template that calls an I/O function. */
export const callsIoFunction = (value: JsonValue | undefined): boolean => {
  if (typeof value === 'string') return TEMPLATE.test(value) && IO_CALL.test(value);
  if (Array.isArray(value)) return value.some(callsIoFunction);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => callsIoFunction(k) || callsIoFunction(v));
  return false;
};

/** The expression context as data: what a worker renders deferred or raw properties against. */
export const renderContextOf = (context: ExpressionContext): JsonObject => {
  // `outputs` and `errorLogs` are computed on first read (expression-scope.ts): read them explicitly.
  const { outputs, errorLogs, ...rest } = context;
  return JSON.parse(JSON.stringify({ ...rest, outputs, ...(errorLogs !== undefined ? { errorLogs } : {}) })) as JsonObject;
};

/**
 * Splits a task's properties into those the decider renders now and those it leaves raw: the task
 * type's own `rawProperties` (rendered by the task, per item for FilterItems) and any calling I/O.
 */
export const splitDeferred = (properties: JsonObject, rawProperties: readonly string[] = []): { now: JsonObject; raw: JsonObject; deferred: string[] } => {
  const now: JsonObject = {};
  const raw: JsonObject = {};
  const deferred: string[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (rawProperties.includes(key)) raw[key] = value;
    else if (callsIoFunction(value)) {
      raw[key] = value;
      deferred.push(key);
    } else now[key] = value;
  }
  return { now, raw, deferred };
};

/** The properties of a runnable the decider leaves as written: the type's raw ones and those calling I/O functions. */
export const propertiesLeftRaw = (taskTypes: TaskCatalog, properties: JsonObject, typeName: string | undefined): ReadonlySet<string> => {
  // Only a worker's job can be rendered later: a flowable's or a Subflow's properties are the decider's.
  const type = typeName === undefined ? undefined : taskTypes.find(typeName);
  if (type?.kind !== 'runnable') return new Set();
  return new Set(splitOf(properties, type.io?.rawProperties).rawKeys);
};

/**
 * What splitDeferred says of a task's properties, kept by the properties object: a flow's task
 * properties never change and are split for every job rendered (twice: here and in withIoFields),
 * each split testing every string with two patterns. A caller gets copies, never the kept arrays.
 */
const splitOf = (properties: JsonObject, rawProperties: readonly string[] | undefined): { readonly rawKeys: readonly string[]; readonly deferred: readonly string[] } => {
  const kept = splits.get(properties);
  if (kept !== undefined && kept.rawProperties === rawProperties) return kept;
  const { raw, deferred } = splitDeferred(properties, rawProperties);
  const split = { rawProperties, rawKeys: Object.keys(raw), deferred };
  splits.set(properties, split);
  return split;
};

const splits = new WeakMap<JsonObject, { readonly rawProperties: readonly string[] | undefined; readonly rawKeys: readonly string[]; readonly deferred: readonly string[] }>();

/**
 * What a job needs besides its properties when a worker renders some of them or the task uses the
 * stores: the flow (`job.flow`), the deferred names and the dispatch's variables. A job with deferred
 * properties never runs as a local task: the executor has no stores to render them with.
 */
export const withIoFields = (taskTypes: TaskCatalog, execution: Execution, task: TaskDefinition, context: ExpressionContext, job: { readonly value: TaskJob }): { readonly value: TaskJob } => {
  const io = taskTypes.find(task.type)?.io;
  const split = splitOf(task.properties, io?.rawProperties);
  const later = split.rawKeys.length > 0;
  if (io === undefined && !later) return job;
  const deferred = [...split.deferred];
  const { local: _local, ...notLocal } = job.value;
  return {
    value: {
      ...(deferred.length > 0 ? notLocal : job.value),
      flow: { namespace: execution.namespace, flowId: execution.flowId },
      ...(deferred.length > 0 ? { deferred } : {}),
      ...(later || io?.renderContext === true ? { renderContext: renderContextOf(context) } : {}),
    },
  };
};
