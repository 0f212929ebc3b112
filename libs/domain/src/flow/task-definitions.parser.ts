import type { TaskDefinition } from './flow.model.js';
import { describe, ID_PATTERN, isRecord, omitKeys, readName, type Report } from './flow-parsing.helpers.js';
import { findTaskType, TASK_TYPE_NAMES } from './task-types.js';
import type { Path } from './yaml-source.js';

/**
 * Parses one list of tasks. `seenIds` is shared by every task list of the flow because task ids
 * are unique across the whole flow (outputs are addressed as `outputs.<taskId>`).
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
  const properties = omitKeys(raw, ['id', 'type']);
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
  for (const issue of taskType.validate(properties)) report([...at, ...issue.path], issue.message);
  return { id, type: taskType.name, typeName, properties };
};
