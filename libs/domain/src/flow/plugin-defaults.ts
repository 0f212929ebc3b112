import type { JsonObject, JsonValue } from '../shared/json.js';
import { describe, isRecord, type Report } from './flow-parsing.helpers.js';
import type { TaskCatalog } from '../task-types/task-catalog.js';

/**
 * Kestra's `pluginDefaults` (and the older `taskDefaults`, the same list), applied before the
 * tasks are parsed, as Kestra's PluginDefaultService does
 * (core/src/main/java/io/kestra/core/services/PluginDefaultService.java):
 *
 * - every mapping of the flow that has a `type` (tasks at any depth, triggers) is matched by each
 *   default whose `type` equals its type or is a prefix of it (`io.kestra.plugin.core.log` matches
 *   every log task); Chronicle also matches a short name (`Log`) against a full one, both ways;
 * - non-forced defaults go under the task's own values, forced ones over them (forced: the later
 *   default of the list loses, Kestra reverses them);
 * - merging is Kestra's `MapUtils.merge`: mappings merge key by key, lists are concatenated
 *   (defaults' items first), anything else: the winning side's value.
 */
export interface PluginDefault {
  readonly type: string;
  readonly forced: boolean;
  readonly values: JsonObject;
}

/** Where defaults apply: the task lists and triggers of the flow document. */
const APPLIED_TO = ['tasks', 'errors', 'finally', 'afterExecution', 'triggers'] as const;

export const parsePluginDefaults = (document: JsonObject, report: Report): PluginDefault[] =>
  (['pluginDefaults', 'taskDefaults'] as const).flatMap((key) => parseList(document[key], key, report));

const parseList = (raw: JsonValue | undefined, key: string, report: Report): PluginDefault[] => {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    report([key], `must be a list of { type, values, forced }, got ${describe(raw)}`);
    return [];
  }
  return raw.flatMap((item, i): PluginDefault[] => {
    if (!isRecord(item)) {
      report([key, i], `a plugin default must be a mapping with type and values, got ${describe(item)}`);
      return [];
    }
    const unknown = Object.keys(item).filter((k) => !['type', 'values', 'forced'].includes(k));
    for (const k of unknown) report([key, i, k], `unknown property "${k}" of a plugin default (type, values, forced)`);
    if (typeof item.type !== 'string' || item.type === '') report([key, i], 'required property "type" is missing (a task type or a package prefix)');
    if (!isRecord(item.values)) report([key, i, 'values'], `must be a mapping of property names to values, got ${describe(item.values)}`);
    if (item.forced !== undefined && typeof item.forced !== 'boolean') report([key, i, 'forced'], `must be true or false, got ${describe(item.forced)}`);
    if (typeof item.type !== 'string' || !isRecord(item.values) || unknown.length > 0) return [];
    return [{ type: item.type, forced: item.forced === true, values: item.values }];
  });
};

/** The flow document with the defaults merged into its tasks and triggers. */
export const applyPluginDefaults = (document: JsonObject, defaults: readonly PluginDefault[], taskTypes: TaskCatalog): JsonObject => {
  if (defaults.length === 0) return document;
  const regular = defaults.filter((d) => !d.forced);
  const forced = defaults.filter((d) => d.forced).reverse();
  const result: JsonObject = { ...document };
  for (const key of APPLIED_TO) {
    if (result[key] === undefined) continue;
    result[key] = walk(walk(result[key]!, regular, false, taskTypes), forced, true, taskTypes);
  }
  return result;
};

const walk = (value: JsonValue, defaults: readonly PluginDefault[], forced: boolean, taskTypes: TaskCatalog): JsonValue => {
  if (defaults.length === 0) return value;
  if (Array.isArray(value)) return value.map((item) => walk(item, defaults, forced, taskTypes));
  if (!isRecord(value)) return value;
  let object: JsonObject = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, defaults, forced, taskTypes)]));
  if (typeof object.type !== 'string') return object;
  for (const d of defaults.filter((candidate) => matches(candidate.type, object.type as string, taskTypes))) {
    object = forced ? merge(object, d.values) : merge(d.values, object);
  }
  return object;
};

/** Kestra: equal or a (package) prefix; Chronicle: a short and a full name of the same task type match too. */
const matches = (defaultType: string, type: string, taskTypes: TaskCatalog): boolean => {
  const names = (name: string): string[] => {
    const known = taskTypes.find(name);
    return known === undefined ? [name] : [known.name, known.fullName];
  };
  const own = names(type);
  return names(defaultType).some((d) => own.some((t) => t === d || (d.includes('.') && t.startsWith(d))));
};

/** Kestra's MapUtils.merge(a, b): b wins, mappings merge, lists concatenate. */
export const merge = (a: JsonObject, b: JsonObject): JsonObject => {
  const result: JsonObject = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const original = result[key];
    if (value === null || value === undefined) {
      if (original === undefined) result[key] = null;
    } else if (original === undefined || original === null) result[key] = value;
    else if (isRecord(value) && isRecord(original)) result[key] = merge(original, value);
    else if (Array.isArray(value) && Array.isArray(original)) result[key] = [...original, ...value];
    else result[key] = value;
  }
  return result;
};
