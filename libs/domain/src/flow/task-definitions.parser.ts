import { runWrappedAsSubflow } from '../task-types/run-wrapped.task.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { TASK_BASE_PROPERTIES } from './base-properties.js';
import type { TaskDefinition } from './flow.model.js';
import { parseBoolean, parseDuration, parseRetry } from './flow-control.parser.js';
import { describe, ID_PATTERN, isRecord, omitKeys, readName, type Report } from './flow-parsing.helpers.js';
import { parseDagTasks } from './dag-tasks.parser.js';
import { forEachItemTasks } from '../task-types/for-each-item.task-types.js';
import { refusedTaskTypeReason } from '../task-types/refused-task-types.js';
import { LOG_LEVELS, type LogLevel } from '../task-types/log.task-type.js';
import type { TaskCatalog } from '../task-types/task-catalog.js';
import type { TaskTypeDefinition } from '../task-types/task-type-definition.js';
import type { Path } from './yaml-source.js';
import { parseLocks } from './lock-names.js';

/** Task properties every task may carry; the engine acts on them, the task itself never sees them. */
const CONTROL_KEYS = [
  'id', 'type', 'description', 'retry', 'allowFailure', 'allowWarning', 'timeout', 'disabled',
  'runIf', 'when', 'logLevel', 'logToFile', 'workerGroup', 'version', 'taskCache', 'locks',
] as const;

/**
 * Parses one list of tasks. `seenIds` is shared by every task list of the flow because task ids
 * are unique across the whole flow (outputs are addressed as `outputs.<taskId>`), nested lists
 * of flowables (`tasks`, `then`, `else`, `cases`, `defaults`, `errors`, `finally`) included.
 */
export interface TaskListParsing {
  readonly report: Report;
  /** Shared by every task list of the flow. */
  readonly seenIds: Set<string>;
  /** What each `type:` may name. */
  readonly taskTypes: TaskCatalog;
}

export const parseTasks = (raw: unknown, at: Path, parsing: TaskListParsing): TaskDefinition[] => {
  const { report } = parsing;
  if (raw === undefined || raw === null) {
    report(at.slice(0, -1), `required property "${String(at[at.length - 1])}" is missing`);
    return [];
  }
  if (!Array.isArray(raw)) {
    report(at, `must be a list of tasks, got ${describe(raw)}`);
    return [];
  }
  if (raw.length === 0) report(at, 'must contain at least one task');
  return raw.flatMap((item, index) => {
    const task = parseTask(item, [...at, index], parsing);
    return task ? [task] : [];
  });
};

const parseTask = (raw: unknown, at: Path, parsing: TaskListParsing): TaskDefinition | undefined => {
  const { report, seenIds, taskTypes } = parsing;
  if (!isRecord(raw)) {
    report(at, `a task must be a mapping with id and type, got ${describe(raw)}`);
    return undefined;
  }
  const id = readName(raw, 'id', at, ID_PATTERN, report, 'task id');
  if (id !== '') {
    if (seenIds.has(id)) report([...at, 'id'], `Duplicate task id with name [${id}] (task ids are unique across the flow)`);
    seenIds.add(id);
  }
  const typeName = raw.type;
  if (typeName === undefined || typeName === null) {
    report(at, 'required property "type" is missing');
    return undefined;
  }
  if (typeof typeName !== 'string') {
    report([...at, 'type'], `must be a string, got ${describe(typeName)}`);
    return undefined;
  }
  const taskType = taskTypes.find(typeName);
  const refusal = taskType ? undefined : refusedTaskTypeReason(typeName);
  if (refusal !== undefined) {
    report([...at, 'type'], `task type ${typeName} is not supported by Chronicle: ${refusal}`);
    return undefined;
  }
  if (!taskType || taskType.internal === true) {
    report([...at, 'type'], `unknown task type "${typeName}"; supported: ${taskTypes.names.join(', ')}`);
    return undefined;
  }
  reportUnknownProperties(raw, taskType, at, report);
  for (const issue of taskType.validate(omitKeys(raw, ['id', 'type']))) report([...at, ...issue.path], issue.message);
  const nested = parseNestedLists(raw, taskType, at, parsing);
  const listKeys = [...(taskType.taskLists ?? []), ...(taskType.cases ? ['cases'] : []), ...(taskType.dag ? ['tasks'] : [])];
  return {
    id,
    type: taskType.name,
    typeName,
    properties: omitKeys(raw, [...CONTROL_KEYS, ...listKeys]),
    ...controlProperties(raw, at, report),
    ...nested,
    // RunWrapped is a Subflow whose child is the wrapped execution (Subflow's retries, timeout and kills apply).
    ...(taskType.name === 'RunWrapped' ? runWrappedAsSubflow() : {}),
  };
};

const controlProperties = (raw: JsonObject, at: Path, report: Report): Partial<TaskDefinition> => {
  const retry = parseRetry(raw.retry, [...at, 'retry'], report, false);
  const allowFailure = parseBoolean(raw.allowFailure, [...at, 'allowFailure'], report);
  const allowWarning = parseBoolean(raw.allowWarning, [...at, 'allowWarning'], report);
  const timeout = parseDuration(raw.timeout, [...at, 'timeout'], report);
  const disabled = parseBoolean(raw.disabled, [...at, 'disabled'], report);
  if (raw.runIf !== undefined && raw.runIf !== null && raw.when !== undefined && raw.when !== null) {
    report([...at, 'when'], '"when" is the newer name of "runIf": give one of them');
  }
  const runIf = raw.when !== undefined && raw.when !== null ? parseRunIf(raw.when, [...at, 'when'], report) : parseRunIf(raw.runIf, [...at, 'runIf'], report);
  const logLevel = parseLogLevel(raw.logLevel, [...at, 'logLevel'], report);
  if (raw.description !== undefined && raw.description !== null && typeof raw.description !== 'string') {
    report([...at, 'description'], `must be a string, got ${describe(raw.description)}`);
  }
  for (const [key, support] of Object.entries(TASK_BASE_PROPERTIES)) {
    if (support.status === 'refused' && raw[key] !== undefined) report([...at, key], `task property "${key}" is not supported: ${support.reason}`);
  }
  if (raw.version !== undefined && typeof raw.version !== 'string') report([...at, 'version'], `must be a version string, got ${describe(raw.version)}`);
  const logToFile = parseBoolean(raw.logToFile, [...at, 'logToFile'], report);
  const locks = parseLocks(raw.locks, [...at, 'locks'], report);
  return {
    ...(locks !== undefined ? { locks } : {}),
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    ...(runIf !== undefined ? { runIf } : {}),
    ...(logLevel !== undefined ? { logLevel } : {}),
    ...(logToFile === true ? { logToFile: true as const } : {}),
    ...(retry !== undefined ? { retry } : {}),
    ...(allowFailure !== undefined ? { allowFailure } : {}),
    ...(allowWarning !== undefined ? { allowWarning } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(disabled !== undefined ? { disabled } : {}),
  };
};

/** A property of a type whose properties are listed (its definition's `properties`) that is neither its own nor a base one. */
const reportUnknownProperties = (raw: JsonObject, definition: TaskTypeDefinition, at: Path, report: Report): void => {
  const type = definition.name;
  const own = definition.properties;
  if (own === undefined) return;
  for (const key of Object.keys(raw)) {
    if (Object.hasOwn(TASK_BASE_PROPERTIES, key) || own.includes(key)) continue;
    const refused = definition.refusedProperties?.[key];
    report([...at, key], refused !== undefined
      ? `property "${key}" of ${type} is not supported: ${refused}`
      : `unknown property "${key}" of ${type} (it takes ${own.join(', ')}, and every task's ${Object.keys(TASK_BASE_PROPERTIES).filter((k) => k !== 'id' && k !== 'type').join(', ')})`);
  }
};

/** Kestra's `runIf`: an expression (or a literal boolean), rendered when the task run is created. */
const parseRunIf = (raw: JsonValue | undefined, at: Path, report: Report): string | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'boolean') return String(raw);
  if (typeof raw !== 'string') {
    report(at, `must be an expression such as "{{ inputs.enabled }}", got ${describe(raw)}`);
    return undefined;
  }
  // Whether it parses is checked with every other template of the flow (reportTemplateProblems).
  return raw;
};

const parseLogLevel = (raw: JsonValue | undefined, at: Path, report: Report): LogLevel | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string' && (LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
  report(at, `must be one of ${LOG_LEVELS.join(', ')}, got ${describe(raw)}`);
  return undefined;
};

const parseNestedLists = (
  raw: JsonObject,
  taskType: TaskTypeDefinition,
  at: Path,
  parsing: TaskListParsing,
): Pick<TaskDefinition, 'lists' | 'cases' | 'dependsOn'> => {
  const { report, seenIds } = parsing;
  const lists: Record<string, TaskDefinition[]> = {};
  for (const key of taskType.taskLists ?? []) {
    const present = raw[key] !== undefined && raw[key] !== null;
    if (present || (taskType.requiredLists ?? []).includes(key)) lists[key] = parseTasks(raw[key], [...at, key], parsing);
  }
  if (taskType.runnableChildren) reportNonRunnableChildren(raw.tasks, lists.tasks ?? [], [...at, 'tasks'], parsing);
  if (taskType.forEachItem) {
    const id = typeof raw.id === 'string' ? raw.id : '';
    const tasks = forEachItemTasks(id, raw);
    for (const t of tasks) {
      if (seenIds.has(t.id)) report([...at, 'id'], `task id "${t.id}" is taken by this ForEachItem's internal task`);
      seenIds.add(t.id);
    }
    return { lists: { ...lists, tasks } };
  }
  if (taskType.dag) {
    const dag = parseDagTasks(raw.tasks, [...at, 'tasks'], report, (item, path) => parseTask(item, path, parsing));
    return { lists: { ...lists, tasks: dag.tasks }, dependsOn: dag.dependsOn };
  }
  if (!taskType.cases) return Object.keys(lists).length > 0 ? { lists } : {};
  const cases: Record<string, TaskDefinition[]> = {};
  const rawCases = raw.cases;
  if (isRecord(rawCases)) {
    for (const [value, tasks] of Object.entries(rawCases)) cases[value] = parseTasks(tasks, [...at, 'cases', value], parsing);
  }
  return { ...(Object.keys(lists).length > 0 ? { lists } : {}), cases };
};

/** Kestra's WorkingDirectoryTaskValidator: its tasks run on one worker, so they must be runnable. */
const reportNonRunnableChildren = (raw: unknown, tasks: readonly TaskDefinition[], at: Path, { report, taskTypes }: TaskListParsing): void => {
  tasks.forEach((task, index) => {
    if (taskTypes.find(task.type)?.kind !== 'runnable') report([...at, index, 'type'], `Only runnable tasks are allowed as children of a WorkingDirectory task; "${task.id}" is a ${task.type}`);
  });
  if (!Array.isArray(raw)) return;
  raw.forEach((item, index) => {
    if (isRecord(item) && item.workerGroup !== undefined) report([...at, index, 'workerGroup'], 'Cannot set a Worker Group in any WorkingDirectory sub-tasks, it is only supported at the WorkingDirectory level');
  });
};
