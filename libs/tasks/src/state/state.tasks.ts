import { createHash } from 'node:crypto';
import { slugify } from '@chronicle/use-cases';
import type { JsonObject, JsonValue } from '@chronicle/domain';
import { TaskFailure, type RunnableTask, type TaskRunContext } from '../runnable-task.js';
import { flowOf, servicesOf } from '../task-context.js';
import { errorCodeOf } from '@chronicle/errors';
import type { TaskModule } from '../task-module.js';
import { anyMap, boolean, ioDefinition, optional, string, type Check } from '../io-property-checks.js';

/**
 * Kestra's state tasks (io.kestra.plugin.core.state.*): a named JSON map kept, as Kestra now keeps it
 * (StateStore.java), in the flow namespace's KV store under `<flow slug>_states_tasks-states_<name>`
 * (without the flow part when `namespace: true`), suffixed with a hash of the task run's value inside
 * a loop unless `taskrunValue: false`.
 */
export const stateKeyOf = (context: TaskRunContext): string => {
  const p = context.job.properties;
  const name = p.name === undefined || p.name === null ? 'default' : p.name;
  if (typeof name !== 'string' || name === '') throw new TaskFailure(`name must be a non-empty string, got ${JSON.stringify(name)}`);
  const flowScoped = p.namespace !== true;
  const taskrun = (context.job.renderContext?.taskrun ?? {}) as JsonObject;
  const value = p.taskrunValue === false || taskrun.value === undefined || taskrun.value === null ? undefined : String(taskrun.value);
  return `${flowScoped ? `${slugify(flowOf(context).flowId)}_` : ''}states_tasks-states_${name}${value === undefined ? '' : `_${createHash('sha256').update(value).digest('hex').slice(0, 16)}`}`;
};

const read = async (context: TaskRunContext): Promise<JsonObject | undefined> => {
  const services = servicesOf(context);
  const entry = await services.kv.get(flowOf(context).namespace, stateKeyOf(context), services.now()).catch(asFailure);
  return entry ? (entry.value as JsonObject) : undefined;
};

/** `Set`: merges `data` into the state (maps deeply, as Kestra's MapUtils.merge); outputs `count` and `key`. */
export const stateSetTask: RunnableTask = async (context) => {
  const data = context.job.properties.data ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new TaskFailure('data must be a map of names to values');
  const merged = deepMerge((await read(context)) ?? {}, data);
  const services = servicesOf(context);
  const key = stateKeyOf(context);
  await services.kv.put(flowOf(context).namespace, key, merged, { now: services.now() }).catch(asFailure);
  return { count: Object.keys(merged).length, key };
};

/** `Get`: outputs `count` and `data`; a missing state is empty unless `errorOnMissing`. */
export const stateGetTask: RunnableTask = async (context) => {
  const data = await read(context);
  if (!data && context.job.properties.errorOnMissing === true) throw new TaskFailure(`State ${stateKeyOf(context)} not found`);
  return { count: Object.keys(data ?? {}).length, data: data ?? {} };
};

/** `Delete`: outputs `deleted`; a missing state fails only with `errorOnMissing`. */
export const stateDeleteTask: RunnableTask = async (context) => {
  const services = servicesOf(context);
  const deleted = await services.kv.delete(flowOf(context).namespace, stateKeyOf(context), services.now()).catch(asFailure);
  if (!deleted && context.job.properties.errorOnMissing === true) {
    throw new TaskFailure(`Unable to find the state file '${String(context.job.properties.name ?? 'default')}'`);
  }
  return { deleted };
};

export function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const current: JsonValue | undefined = out[k];
    out[k] = isMap(current) && isMap(v) ? deepMerge(current, v) : v;
  }
  return out;
}

const isMap = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const asFailure = (error: unknown): never => {
  if (errorCodeOf(error) === 'KV_INVALID') throw new TaskFailure((error as Error).message, { cause: error });
  throw error;
};

// State tasks read the task run's loop value: their job carries the dispatch's variables.
const STATE: Record<string, Check> = { name: optional(string), namespace: optional(boolean), taskrunValue: optional(boolean) };

export const STATE_SET: TaskModule = {
  definition: ioDefinition('state.Set', 'io.kestra.plugin.core.state.Set', { ...STATE, data: optional(anyMap) }, { aliases: ['io.kestra.core.tasks.states.Set'], io: { renderContext: true } }),
  run: stateSetTask,
};
export const STATE_GET: TaskModule = {
  definition: ioDefinition('state.Get', 'io.kestra.plugin.core.state.Get', { ...STATE, errorOnMissing: optional(boolean) }, { aliases: ['io.kestra.core.tasks.states.Get'], io: { renderContext: true } }),
  run: stateGetTask,
};
export const STATE_DELETE: TaskModule = {
  definition: ioDefinition('state.Delete', 'io.kestra.plugin.core.state.Delete', { ...STATE, errorOnMissing: optional(boolean) }, { aliases: ['io.kestra.core.tasks.states.Delete'], io: { renderContext: true } }),
  run: stateDeleteTask,
};
