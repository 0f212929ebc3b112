import type { JsonObject } from '../shared/json.js';
import type { TaskDefinition } from './flow.model.js';
import { parseBoolean, parseDuration, parseRetry } from './flow-control.parser.js';
import { describe, ID_PATTERN, isRecord, omitKeys, readName, type Report } from './flow-parsing.helpers.js';
import { findTaskType, TASK_TYPE_NAMES, type TaskTypeDefinition } from './task-types.js';
import type { Path } from './yaml-source.js';

/** Task properties every task may carry; the engine acts on them, the task itself never sees them. */
const CONTROL_KEYS = ['id', 'type', 'description', 'retry', 'allowFailure', 'allowWarning', 'timeout', 'disabled'] as const;

/**
 * Parses one list of tasks. `seenIds` is shared by every task list of the flow because task ids
 * are unique across the whole flow (outputs are addressed as `outputs.<taskId>`), nested lists
 * of flowables (`tasks`, `then`, `else`, `cases`, `defaults`, `errors`, `finally`) included.
 */
export const parseTasks = (raw: unknown, at: Path, report: Report, seenIds: Set<string>): TaskDefinition[] => {
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
    const task = parseTask(item, [...at, index], report, seenIds);
    return task ? [task] : [];
  });
};

const parseTask = (raw: unknown, at: Path, report: Report, seenIds: Set<string>): TaskDefinition | undefined => {
  if (!isRecord(raw)) {
    report(at, `a task must be a mapping with id and type, got ${describe(raw)}`);
    return undefined;
  }
  const id = readName(raw, 'id', at, ID_PATTERN, report, 'task id');
  if (id !== '') {
    if (seenIds.has(id)) report([...at, 'id'], `duplicate task id "${id}" (task ids are unique across the flow)`);
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
  const taskType = findTaskType(typeName);
  if (!taskType) {
    report([...at, 'type'], `unknown task type "${typeName}"; supported: ${TASK_TYPE_NAMES.join(', ')}`);
    return undefined;
  }
  for (const issue of taskType.validate(omitKeys(raw, ['id', 'type']))) report([...at, ...issue.path], issue.message);
  const nested = parseNestedLists(raw, taskType, at, report, seenIds);
  const listKeys = [...(taskType.taskLists ?? []), ...(taskType.cases ? ['cases'] : [])];
  return {
    id,
    type: taskType.name,
    typeName,
    properties: omitKeys(raw, [...CONTROL_KEYS, ...listKeys]),
    ...controlProperties(raw, at, report),
    ...nested,
  };
};

const controlProperties = (raw: JsonObject, at: Path, report: Report): Partial<TaskDefinition> => {
  const retry = parseRetry(raw.retry, [...at, 'retry'], report, false);
  const allowFailure = parseBoolean(raw.allowFailure, [...at, 'allowFailure'], report);
  const allowWarning = parseBoolean(raw.allowWarning, [...at, 'allowWarning'], report);
  const timeout = parseDuration(raw.timeout, [...at, 'timeout'], report);
  const disabled = parseBoolean(raw.disabled, [...at, 'disabled'], report);
  return {
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    ...(retry !== undefined ? { retry } : {}),
    ...(allowFailure !== undefined ? { allowFailure } : {}),
    ...(allowWarning !== undefined ? { allowWarning } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(disabled !== undefined ? { disabled } : {}),
  };
};

const parseNestedLists = (
  raw: JsonObject,
  taskType: TaskTypeDefinition,
  at: Path,
  report: Report,
  seenIds: Set<string>,
): Pick<TaskDefinition, 'lists' | 'cases'> => {
  const lists: Record<string, TaskDefinition[]> = {};
  for (const key of taskType.taskLists ?? []) {
    const present = raw[key] !== undefined && raw[key] !== null;
    if (present || (taskType.requiredLists ?? []).includes(key)) lists[key] = parseTasks(raw[key], [...at, key], report, seenIds);
  }
  if (!taskType.cases) return Object.keys(lists).length > 0 ? { lists } : {};
  const cases: Record<string, TaskDefinition[]> = {};
  const rawCases = raw.cases;
  if (isRecord(rawCases)) {
    for (const [value, tasks] of Object.entries(rawCases)) cases[value] = parseTasks(tasks, [...at, 'cases', value], report, seenIds);
  }
  return { ...(Object.keys(lists).length > 0 ? { lists } : {}), cases };
};
