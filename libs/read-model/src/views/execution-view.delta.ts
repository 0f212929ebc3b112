import type { ExecutionView, TaskRunView } from '../queries/read-model.views.js';

/** The fields of an ExecutionView besides its task runs and revision. */
export type ExecutionViewFields = Omit<ExecutionView, 'taskRuns' | 'revision'>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** The fields a view may leave out (`?`): the only ones a change can remove. */
type OptionalField = { [K in keyof ExecutionViewFields]-?: object extends Pick<ExecutionViewFields, K> ? K : never }[keyof ExecutionViewFields];

const REQUIRED_FIELDS = ['id', 'namespace', 'flowId', 'flowRevision', 'state', 'stateHistory', 'inputs', 'labels', 'originalId', 'startDate'] as const;
const OPTIONAL_FIELDS = ['outputs', 'trigger', 'parentId', 'endDate', 'error', 'options', 'killReason', 'lockClaims', 'stepping', 'savepoints', 'rewinds', 'wrapped'] as const satisfies readonly OptionalField[];
// Every field of the view is listed above: one added to ExecutionView without being listed fails to compile here.
type Listed = (typeof REQUIRED_FIELDS)[number] | (typeof OPTIONAL_FIELDS)[number];
const EVERY_FIELD_LISTED: Exclude<keyof ExecutionViewFields, Listed> extends never ? true : never = true;
void EVERY_FIELD_LISTED;

/**
 * A change of an execution's view, as live updates carry it: the whole view (`kind: 'view'`, a
 * new execution), or what changed from revision `baseRevision` to `revision` (`kind: 'delta'`):
 * the fields that changed, those that went away, and the task runs added or changed, by index.
 * A delta applies only to the view at exactly `baseRevision`; a reader without it loads the view
 * at `revision` instead.
 */
export type ExecutionViewChange =
  | { readonly kind: 'view'; readonly view: ExecutionView }
  | {
      readonly kind: 'delta';
      readonly baseRevision: number;
      readonly revision: number;
      readonly set: Partial<ExecutionViewFields>;
      readonly unset: readonly OptionalField[];
      readonly taskRuns: readonly { readonly seq: number; readonly taskRun: TaskRunView }[];
      /** The number of task runs after the change (a restart may drop some). */
      readonly taskRunCount: number;
    };

export function diffExecutionView(before: ExecutionView | undefined, after: ExecutionView): ExecutionViewChange {
  if (!before) return { kind: 'view', view: after };
  const set: Partial<Mutable<ExecutionViewFields>> = {};
  const copy = <K extends keyof ExecutionViewFields>(name: K) => {
    if (!sameJson(before[name], after[name])) set[name] = after[name];
  };
  for (const name of REQUIRED_FIELDS) copy(name);
  const unset: OptionalField[] = [];
  for (const name of OPTIONAL_FIELDS) {
    if (after[name] === undefined) {
      if (before[name] !== undefined) unset.push(name);
    } else copy(name);
  }
  const taskRuns = after.taskRuns.flatMap((taskRun, seq) => (sameJson(before.taskRuns[seq], taskRun) ? [] : [{ seq, taskRun }]));
  return { kind: 'delta', baseRevision: before.revision, revision: after.revision, set, unset, taskRuns, taskRunCount: after.taskRuns.length };
}

/** The revision a change brings the view to. */
export const revisionOf = (change: ExecutionViewChange): number => (change.kind === 'view' ? change.view.revision : change.revision);

/** The view after the change, or undefined when `base` is not the view a delta applies to. */
export function applyExecutionViewChange(base: ExecutionView | undefined, change: ExecutionViewChange): ExecutionView | undefined {
  if (change.kind === 'view') return change.view;
  if (!base || base.revision !== change.baseRevision) return undefined;
  const { taskRuns: baseTaskRuns, revision: _baseRevision, ...baseFields } = base;
  const fields: Mutable<ExecutionViewFields> = { ...baseFields, ...change.set };
  for (const name of change.unset) delete fields[name];
  const taskRuns = baseTaskRuns.slice(0, change.taskRunCount);
  for (const { seq, taskRun } of change.taskRuns) taskRuns[seq] = taskRun;
  // A gap (a task run the base lacks and the change does not bring) means the base was not the right one.
  if (taskRuns.length !== change.taskRunCount || Object.keys(taskRuns).length !== change.taskRunCount) return undefined;
  return { ...fields, taskRuns, revision: change.revision };
}

/** Views are plain JSON (they travel on the bus): equal JSON is equal. */
const sameJson = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);
