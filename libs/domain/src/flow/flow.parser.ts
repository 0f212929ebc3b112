import type { JsonObject, JsonValue } from '../shared/json.js';
import type { FlowDefinition, TaskDefinition } from './flow.model.js';
import { FlowValidationError, type FlowIssue } from './flow-validation.error.js';
import {
  describe, ID_PATTERN, isRecord, NAMESPACE_PATTERN, omitKeys, readName, reportNonJson, reportUnknownKeys, type Report,
} from './flow-parsing.helpers.js';
import {
  parseBoolean, parseConcurrency, parseDuration, parseFlowOutputs, parsePriority, parseRetry,
} from './flow-control.parser.js';
import { parseInputDefinitions } from './input-definitions.parser.js';
import { parseSla } from './sla.parser.js';
import { parseTasks } from './task-definitions.parser.js';
import { YamlSource } from './yaml-source.js';
import { parseTriggers as parseTriggerDefinitions } from '../trigger/trigger.parser.js';
import { reportTemplateProblems } from '../expression/template.check.js';
import { FLOW_PROPERTIES, supportOf } from './base-properties.js';
import { applyPluginDefaults, parsePluginDefaults } from './plugin-defaults.js';
import { parseLocks } from './lock-names.js';
import { parseSavepointRetentionProperty } from './savepoint-retention.parser.js';
import { parseWrappers } from './wrappers.parser.js';
import type { TaskCatalog } from '../task-types/task-catalog.js';

/** Top-level keys with a typed home in FlowDefinition (the others are refused, see FLOW_PROPERTIES). */
const KNOWN_KEYS = [
  'id', 'namespace', 'revision', 'description', 'labels', 'inputs', 'tasks', 'triggers',
  'errors', 'finally', 'outputs', 'retry', 'concurrency', 'timeout', 'disabled', 'priority', 'variables',
  'pluginDefaults', 'taskDefaults', 'deleted', 'sla', 'afterExecution', 'locks',
  'savepointRetention', 'wrappers',
] as const;

/**
 * Parses and validates a flow's YAML source. Throws FlowValidationError listing every problem
 * found, each with its line where the source has one. `revision` is assigned by whoever stores
 * the flow (a `revision:` key in the source is ignored). `taskTypes` is what a task's `type:` may
 * name: libs/tasks' full catalog in every process, the domain's CORE_TASK_CATALOG in its own tests.
 */
export function parseFlow(source: string, taskTypes: TaskCatalog, revision = 0): FlowDefinition {
  const parsed = YamlSource.parse(source);
  if ('issues' in parsed) throw new FlowValidationError(parsed.issues);
  const { source: yaml, value } = parsed;
  const issues: FlowIssue[] = [];
  const report: Report = (path, message) => issues.push(yaml.issue(path, message));

  if (!isRecord(value)) {
    throw new FlowValidationError([yaml.issue([], `a flow must be a mapping with id, namespace and tasks, got ${describe(value)}`)]);
  }
  reportNonJson(value, [], report);
  // Pebble that does not parse is refused here, at its line (owned by the expression folder).
  reportTemplateProblems(value, [], report);
  reportUnsupportedKeys(value, report);
  const defaults = parsePluginDefaults(value, report);
  const withDefaults = applyPluginDefaults(value, defaults, taskTypes);
  const id = readName(value, 'id', [], ID_PATTERN, report, 'flow id');
  const namespace = readName(value, 'namespace', [], NAMESPACE_PATTERN, report, 'namespace');
  const description = parseDescription(value.description, report);
  const labels = parseLabels(value.labels, report);
  const inputs = parseInputDefinitions(value.inputs, report);
  const parsing = { report, seenIds: new Set<string>(), taskTypes };
  const tasks = parseTasks(withDefaults.tasks, ['tasks'], parsing);
  const errors = value.errors === undefined || value.errors === null ? undefined : parseTasks(withDefaults.errors, ['errors'], parsing);
  const final = value.finally === undefined || value.finally === null ? undefined : parseTasks(withDefaults.finally, ['finally'], parsing);
  const afterExecution = value.afterExecution === undefined || value.afterExecution === null ? undefined : parseTasks(withDefaults.afterExecution, ['afterExecution'], parsing);
  const outputs = parseFlowOutputs(value.outputs, report);
  const retry = parseRetry(value.retry, ['retry'], report, true);
  const sla = parseSla(value.sla, report);
  const concurrency = parseConcurrency(value.concurrency, report);
  const timeout = parseDuration(value.timeout, ['timeout'], report);
  const disabled = parseBoolean(value.disabled, ['disabled'], report);
  const priority = parsePriority(value.priority, report);
  const variables = parseVariables(value.variables, report);
  const triggers = parseTriggers(withDefaults.triggers, report, taskTypes);
  const locks = parseLocks(value.locks, ['locks'], report);
  const savepointRetention = parseSavepointRetentionProperty(value.savepointRetention, report);
  const wrappers = parseWrappers(value.wrappers, { namespace, id }, report);
  reportSystemLabels(labels, report);
  for (const [list, key] of [[tasks, 'tasks'], [errors, 'errors'], [final, 'finally'], [afterExecution, 'afterExecution']] as const) {
    reportRecursiveSubflows(list ?? [], [key], { namespace, id }, report);
  }

  if (issues.length > 0) throw new FlowValidationError(issues);
  return {
    id,
    namespace,
    revision,
    ...(description !== undefined ? { description } : {}),
    labels,
    inputs,
    tasks,
    ...(errors !== undefined ? { errors } : {}),
    ...(final !== undefined ? { finally: final } : {}),
    ...(afterExecution !== undefined ? { afterExecution } : {}),
    ...(outputs !== undefined ? { outputs } : {}),
    ...(retry !== undefined ? { retry } : {}),
    ...(sla !== undefined && sla.length > 0 ? { sla } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(disabled !== undefined ? { disabled } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(variables !== undefined ? { variables } : {}),
    ...(locks !== undefined ? { locks } : {}),
    ...(savepointRetention !== undefined ? { savepointRetention } : {}),
    ...(wrappers !== undefined && wrappers.length > 0 ? { wrappers } : {}),
    triggers,
    extra: omitKeys(value, KNOWN_KEYS),
  };
}

/** A key Chronicle does not implement, or that is not a flow property at all, is a deploy error. */
const reportUnsupportedKeys = (value: JsonObject, report: Report): void => {
  for (const key of Object.keys(value)) {
    const support = supportOf(FLOW_PROPERTIES, key);
    if (support === undefined) report([key], `unknown flow property "${key}"`);
    else if (support.status === 'refused') report([key], `flow property "${key}" is not supported: ${support.reason}`);
  }
  if (value.deleted !== undefined && value.deleted !== null && value.deleted !== false) {
    report(['deleted'], `flow property "deleted" ${describe(value.deleted)} is not supported: ${(FLOW_PROPERTIES.deleted as { reason: string }).reason}`);
  }
};

const parseDescription = (raw: JsonValue | undefined, report: Report): string | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw;
  report(['description'], `must be a string, got ${describe(raw)}`);
  return undefined;
};

/**
 * Kestra's FlowValidator: `system.*` labels are Kestra's own (correlationId, username...), set by
 * the engine; a flow may set only `system.readOnly`.
 */
const reportSystemLabels = (labels: Readonly<Record<string, string>>, report: Report): void => {
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith('system.') && key !== 'system.readOnly') report(['labels', key], `System labels can only be set by Kestra itself, offending label: ${key}=${value}`);
  }
};

/**
 * Kestra's FlowValidator: a Subflow or ForEachItem naming the flow itself (literally) would start
 * itself without end: `Recursive call to flow [<namespace>.<id>]`.
 */
const reportRecursiveSubflows = (tasks: readonly TaskDefinition[], path: (string | number)[], flow: { namespace: string; id: string }, report: Report): void => {
  tasks.forEach((task, i) => {
    const at = [...path, i];
    const p = task.properties;
    if ((task.type === 'Subflow' || task.type === 'ForEachItem') && p.namespace === flow.namespace && p.flowId === flow.id) {
      report([...at, 'flowId'], `Recursive call to flow [${flow.namespace}.${flow.id}]`);
    }
    for (const [name, list] of Object.entries(task.lists ?? {})) reportRecursiveSubflows(list, [...at, name], flow, report);
    for (const [value, list] of Object.entries(task.cases ?? {})) reportRecursiveSubflows(list, [...at, 'cases', value], flow, report);
  });
};

/** Kestra accepts labels as a mapping or as a list of `{ key, value }`; values become text. */
const parseLabels = (raw: JsonValue | undefined, report: Report): Record<string, string> => {
  if (raw === undefined || raw === null) return {};
  const entries: [string, JsonValue, (string | number)[]][] = Array.isArray(raw)
    ? raw.flatMap((item, i): [string, JsonValue, (string | number)[]][] => {
        if (isRecord(item) && typeof item.key === 'string' && item.value !== undefined) {
          reportUnknownKeys(item, ['key', 'value'], ['labels', i], report, 'a label');
          return [[item.key, item.value, ['labels', i, 'value']]];
        }
        report(['labels', i], 'a label in a list must be a mapping with key and value');
        return [];
      })
    : isRecord(raw)
      ? Object.entries(raw).map(([k, v]) => [k, v, ['labels', k]])
      : (report(['labels'], `must be a mapping of names to values, got ${describe(raw)}`), []);
  const labels: Record<string, string> = {};
  for (const [key, value, path] of entries) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') labels[key] = String(value);
    else report(path, `a label value must be a string, got ${describe(value)}`);
  }
  return labels;
};

const parseTriggers = (raw: JsonValue | undefined, report: Report, taskTypes: TaskCatalog): JsonValue[] => {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    // Every trigger problem is a deploy error (a trigger the scheduler cannot run must not deploy and
    // then silently never fire); Chronicle's own Kafka topics and groups are among them. An HTTP
    // trigger's request is checked by the Request task's own validator, as the task would be.
    const requestCheck = taskTypes.find('io.kestra.plugin.core.http.Request')?.validate;
    for (const issue of parseTriggerDefinitions(raw, requestCheck).issues) {
      report(issue.path.split(/[.[\]]+/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)), issue.message);
    }
    return raw;
  }
  report(['triggers'], `must be a list of triggers, got ${describe(raw)}`);
  return [];
};

const parseVariables = (raw: JsonValue | undefined, report: Report): JsonObject | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (isRecord(raw)) return raw;
  report(['variables'], `must be a mapping of names to values, got ${describe(raw)}`);
  return undefined;
};
