import type { JsonObject, JsonValue } from '@chronicle/domain';
import { TaskFailure, type RunnableTask, type TaskRunContext } from '../runnable-task.js';
import { flowOf, servicesOf } from '../task-context.js';
import { durationMs } from '../duration.js';
import { errorCodeOf } from '@chronicle/errors';
import type { TaskModule } from '../task-module.js';
import { anyValue, boolean, duration, ioDefinition, oneOf, optional, required, string } from '../io-property-checks.js';

/**
 * Kestra's kv tasks (io.kestra.plugin.core.kv.{Set,Get,GetKeys,Delete}) over the KV store of a
 * namespace (the flow's by default). Kestra's open-source edition lets a flow reach any namespace's
 * store; Chronicle's only its own, its children and those CHRONICLE_NAMESPACE_ALLOW allows (the
 * services every task gets are scoped so: namespace-reach.ts).
 */
const namespaceOf = (context: TaskRunContext): string => {
  const ns = context.job.properties.namespace;
  if (ns === undefined || ns === null) return flowOf(context).namespace;
  if (typeof ns !== 'string' || ns === '') throw new TaskFailure(`namespace must be a namespace name, got ${JSON.stringify(ns)}`);
  return ns;
};

const keyOf = (context: TaskRunContext): string => {
  const key = context.job.properties.key;
  if (typeof key !== 'string') throw new TaskFailure(`key must be a string, got ${JSON.stringify(key)}`);
  return key;
};

/** Kestra's `kvType`: a rendered string becomes the typed value (Set.java); other values stay as they are. */
export function typedKvValue(value: JsonValue, kvType: unknown): JsonValue {
  if (typeof value !== 'string' || kvType === undefined || kvType === null) return value;
  switch (kvType) {
    case 'NUMBER': {
      const n = Number(value.trim());
      if (value.trim() === '' || !Number.isFinite(n)) throw new TaskFailure(`value ${JSON.stringify(value)} is not a NUMBER`);
      return n;
    }
    case 'BOOLEAN': return value.toLowerCase() === 'true';
    case 'DATETIME':
    case 'DATE': {
      const at = Date.parse(value);
      if (Number.isNaN(at)) throw new TaskFailure(`value ${JSON.stringify(value)} is not an ISO-8601 instant (${kvType})`);
      return new Date(at).toISOString();
    }
    // Kestra stores a Duration as Ion's decimal seconds, and reads it back as that number (SetTest).
    case 'DURATION':
      return durationMs(value, 'value')! / 1000;
    case 'JSON':
      try {
        return JSON.parse(value) as JsonValue;
      } catch (error) {
        throw new TaskFailure(`value is not JSON: ${(error as Error).message}`);
      }
    default: return value;
  }
}

export const kvSetTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const services = servicesOf(context);
  const ttlMs = durationMs(p.ttl, 'ttl');
  const value = typedKvValue(p.value ?? null, p.kvType);
  await services.kv.put(namespaceOf(context), keyOf(context), value, {
    overwrite: p.overwrite !== false, now: services.now(), ...(ttlMs !== undefined ? { ttlMs } : {}),
  }).catch(asTaskFailure);
  return {};
};

export const kvGetTask: RunnableTask = async (context) => {
  const namespace = namespaceOf(context);
  const key = keyOf(context);
  const services = servicesOf(context);
  const entry = await services.kv.get(namespace, key, services.now()).catch(asTaskFailure);
  if (!entry && context.job.properties.errorOnMissing === true) {
    throw new TaskFailure(`No value found for key '${key}' in namespace '${namespace}' and \`errorOnMissing\` is set to true`);
  }
  // Kestra leaves a missing value out of the outputs (null fields are not serialised).
  const outputs: JsonObject = entry ? { value: entry.value } : {};
  return outputs;
};

export const kvGetKeysTask: RunnableTask = async (context) => {
  const services = servicesOf(context);
  const prefix = context.job.properties.prefix;
  const entries = await services.kv.list(namespaceOf(context), services.now());
  return { keys: entries.map((e) => e.key).filter((k) => typeof prefix !== 'string' || k.startsWith(prefix)) } satisfies JsonObject;
};

export const kvDeleteTask: RunnableTask = async (context) => {
  const namespace = namespaceOf(context);
  const key = keyOf(context);
  const services = servicesOf(context);
  const deleted = await services.kv.delete(namespace, key, services.now()).catch(asTaskFailure);
  if (!deleted && context.job.properties.errorOnMissing === true) {
    throw new TaskFailure(`No value found for key '${key}' in namespace '${namespace}' and \`errorOnMissing\` is set to true`);
  }
  return { deleted };
};

/** A KV refusal (bad key, overwrite) is the task's failure, with the store's message. */
const asTaskFailure = (error: unknown): never => {
  if (errorCodeOf(error) === 'KV_INVALID') throw new TaskFailure((error as Error).message, { cause: error });
  throw error;
};

const KV = 'io.kestra.plugin.core.kv';
export const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;

export const KV_SET: TaskModule = {
  definition: ioDefinition('kv.Set', `${KV}.Set`, {
    key: required('key', string), value: required('value', anyValue), namespace: optional(string), overwrite: optional(boolean), ttl: optional(duration), kvType: optional(oneOf(KV_TYPES)),
  }),
  run: kvSetTask,
};
export const KV_GET: TaskModule = { definition: ioDefinition('kv.Get', `${KV}.Get`, { key: required('key', string), namespace: optional(string), errorOnMissing: optional(boolean) }), run: kvGetTask };
export const KV_GET_KEYS: TaskModule = { definition: ioDefinition('kv.GetKeys', `${KV}.GetKeys`, { prefix: optional(string), namespace: optional(string) }), run: kvGetKeysTask };
export const KV_DELETE: TaskModule = { definition: ioDefinition('kv.Delete', `${KV}.Delete`, { key: required('key', string), namespace: optional(string), errorOnMissing: optional(boolean) }), run: kvDeleteTask };
