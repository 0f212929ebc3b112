import type { ObservedExecution, ObservedTaskRun } from './chronicle-api.js';

/**
 * Kestra's ways of finding task runs and outputs in an execution, rebuilt over the task runs the
 * API returns (io.kestra.core.models.executions.Execution: findParents, findParentsValues,
 * findTaskRunByTaskIdAndValue, outputs()).
 */

/** Ancestors of a task run, outermost first. */
export function parentsOf(execution: ObservedExecution, run: ObservedTaskRun): ObservedTaskRun[] {
  const byId = new Map(execution.taskRuns.map((t) => [t.id, t]));
  const parents: ObservedTaskRun[] = [];
  const seen = new Set<string>();
  for (let id = run.parentTaskRunId; id && !seen.has(id); ) {
    seen.add(id);
    const parent = byId.get(id);
    if (!parent) break;
    parents.unshift(parent);
    id = parent.parentTaskRunId;
  }
  return parents;
}

const hasValue = (t: ObservedTaskRun) => t.value !== null && t.value !== undefined;

/** The chain of loop values from the outermost ancestor down to the task run itself. */
export function valuesChain(execution: ObservedExecution, run: ObservedTaskRun): string[] {
  return [...parentsOf(execution, run), run].filter(hasValue).map((t) => String(t.value));
}

/** A task run by task id and either its n-th run (`index`, default 0) or its chain of values. */
export function findTaskRun(
  execution: ObservedExecution,
  ref: { readonly taskId: string; readonly index?: number; readonly values?: readonly string[] },
): ObservedTaskRun | undefined {
  const runs = execution.taskRuns.filter((t) => t.taskId === ref.taskId);
  if (ref.values) {
    const wanted = JSON.stringify(ref.values);
    return runs.find((t) => JSON.stringify(valuesChain(execution, t)) === wanted);
  }
  return runs[ref.index ?? 0];
}

/** Describes where a task run was looked for, for failure messages. */
export function describeRef(ref: { readonly taskId: string; readonly index?: number; readonly values?: readonly string[] }): string {
  return ref.values ? `${ref.taskId}${JSON.stringify(ref.values)}` : `${ref.taskId}#${ref.index ?? 0}`;
}

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(into: Tree, from: Tree): Tree {
  for (const [k, v] of Object.entries(from)) into[k] = isTree(into[k]) && isTree(v) ? merge({ ...(into[k] as Tree) }, v) : v;
  return into;
}

/** Execution.outputs(): outputs[taskId], nested under the loop values of the run's ancestors and its own. */
export function outputsTree(execution: ObservedExecution): Tree {
  let tree: Tree = {};
  for (const run of execution.taskRuns) {
    if (!run.outputs) continue;
    const values = parentsOf(execution, run).filter(hasValue).map((t) => String(t.value));
    let leaf: Tree = hasValue(run) ? { [String(run.value)]: run.outputs } : { ...run.outputs };
    for (const value of [...values].reverse()) leaf = { [value]: leaf };
    tree = merge(tree, { [run.taskId]: leaf });
  }
  return tree;
}

/** The value at a dotted path (or a list of keys) inside `root`; `undefined` when absent. */
export function valueAt(root: unknown, path: string | readonly string[] | undefined): unknown {
  if (path === undefined || path === '') return root;
  const keys = typeof path === 'string' ? path.split('.') : path;
  let current: unknown = root;
  for (const key of keys) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Labels as Kestra lists them: `[{ key, value }]`, whether the API answers a map or a list. */
export function labelList(labels: unknown): Array<{ key: string; value: unknown }> {
  if (Array.isArray(labels)) return labels as Array<{ key: string; value: unknown }>;
  if (isTree(labels)) return Object.entries(labels).map(([key, value]) => ({ key, value }));
  return [];
}
