import type { TaskDefinition } from './flow.model.js';
import { describe, isRecord, type Report } from './flow-parsing.helpers.js';
import type { Path } from './yaml-source.js';

export interface DagTasks {
  readonly tasks: TaskDefinition[];
  readonly dependsOn: Record<string, string[]>;
}

/**
 * A Dag's `tasks`: a list of `{ task, dependsOn }` (Kestra's `Dag.DagTask`). A dependency must
 * name another task of the same Dag, and cycles are refused at deploy, with Kestra's messages
 * (core/src/test/java/io/kestra/plugin/core/flow/DagTest.java).
 */
export const parseDagTasks = (raw: unknown, at: Path, report: Report, parseTask: (raw: unknown, at: Path) => TaskDefinition | undefined): DagTasks => {
  const tasks: TaskDefinition[] = [];
  const dependsOn: Record<string, string[]> = {};
  if (raw === undefined || raw === null) {
    report(at.slice(0, -1), 'required property "tasks" is missing');
    return { tasks, dependsOn };
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    report(at, `must be a non-empty list of { task, dependsOn }, got ${describe(raw)}`);
    return { tasks, dependsOn };
  }
  raw.forEach((item, index) => {
    const path = [...at, index];
    if (!isRecord(item)) return report(path, `a Dag entry must be a mapping { task, dependsOn }, got ${describe(item)}`);
    for (const key of Object.keys(item)) if (key !== 'task' && key !== 'dependsOn') report([...path, key], `unknown property "${key}" (a Dag entry has task and dependsOn)`);
    const task = parseTask(item.task, [...path, 'task']);
    if (task === undefined) return;
    tasks.push(task);
    const deps = item.dependsOn;
    if (deps === undefined || deps === null) return;
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) return report([...path, 'dependsOn'], 'must be a list of task ids');
    dependsOn[task.id] = deps as string[];
  });
  const ids = new Set(tasks.map((t) => t.id));
  const missing = Object.values(dependsOn).flat().filter((d) => !ids.has(d));
  if (missing.length > 0) report(at, `Not existing task id in dependency: ${[...new Set(missing)].join(', ')}`);
  const cyclic = tasks.filter((t) => reaches(t.id, t.id, dependsOn)).map((t) => t.id);
  if (cyclic.length > 0) report(at, `Cyclic dependency detected: ${cyclic.join(', ')}`);
  return { tasks, dependsOn };
};

/** Whether following `dependsOn` from `from` leads back to `target`. */
const reaches = (from: string, target: string, dependsOn: Readonly<Record<string, readonly string[]>>): boolean => {
  const seen = new Set<string>();
  const stack = [...(dependsOn[from] ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(dependsOn[id] ?? []));
  }
  return false;
};
