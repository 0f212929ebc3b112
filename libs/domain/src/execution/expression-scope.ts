import { wrappedScope } from './wrappers/wrapped-run.js';
import type { ExpressionContext } from '../expression/expression-context.js';
import type { InstallationVariables } from '../expression/installation-variables.js';
import type { FlowDefinition, TaskDefinition } from '../flow/flow.model.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { errorLogsOf } from './error-logs.js';
import type { Execution, TaskRun } from './execution.state.js';
import { outcomeOf, worst, type Outcome } from './progress/outcome.js';
import type { State } from './state.js';
import { taskIndex, taskRunById } from './task-tree.js';

/** The task run an expression is rendered for (it may not exist yet: its job is built at creation). */
export interface RenderedTaskRun {
  readonly id: string;
  readonly taskId: string;
  readonly taskType?: string;
  readonly value?: string;
  readonly parentTaskRunId?: string;
  readonly startDate?: string;
  /** Attempts before the one being rendered (Kestra's `taskrun.attemptsCount`). */
  readonly attemptsCount?: number;
  /** A LoopUntil/WaitFor child's loop iteration (1, 2, ...), as the task run carries it. */
  readonly iteration?: number;
}

export interface ScopeOptions {
  readonly taskRun?: RenderedTaskRun;
  readonly flow?: FlowDefinition;
  readonly now?: string;
  /** `envs` and `globals`, the installation's (the decision's context); absent, expressions have neither. */
  readonly installation?: InstallationVariables;
}

/**
 * The variables expressions see while this execution runs, Kestra's names: `inputs`, `outputs`
 * (nested by loop value inside loops), `execution`, `flow`, `labels`, `trigger`, `vars`, and for
 * a task run `task`, `taskrun`, `parent` and `parents` (nearest first, skipping parents that
 * carry neither a value nor outputs), and what `errorLogs()` returns.
 */
export const expressionContextOf = (execution: Execution, options: ScopeOptions = {}): ExpressionContext => {
  const { taskRun, flow, now, installation } = options;
  const parents = taskRun === undefined ? [] : parentsOf(execution, taskRun.parentTaskRunId);
  // Built by assignment, in the order expressions enumerate the variables (`{{ taskrun }}` prints
  // them as JSON): a task's jobs build one context per task run and attempt, and a literal of
  // conditional spreads made a temporary object per spread.
  const context: Record<string, unknown> = {
    inputs: withInputDefaults(execution.inputs, flow),
    execution: { id: execution.id, startDate: execution.startDate, originalId: execution.originalId, state: stateSeenBy(execution, flow, taskRun) },
    flow: { id: execution.flowId, namespace: execution.namespace, revision: execution.flowRevision },
  };
  if (taskRun !== undefined) {
    context.task = { id: taskRun.taskId, type: taskRun.taskType ?? '' };
    context.taskrun = taskRunScope(execution, taskRun);
  }
  if (parents.length > 0) {
    context.parent = parents[0];
    context.parents = parents;
  }
  context.labels = labelsScope(execution.labels, execution.originalId);
  if (execution.trigger !== undefined) context.trigger = triggerScope(execution.trigger);
  // SetVariables/UnsetVariables replace the flow's `variables` for the rest of the execution.
  if (execution.variables !== undefined) context.vars = execution.variables;
  else if (flow?.variables !== undefined) context.vars = flow.variables;
  if (installation !== undefined) {
    context.envs = installation.envs;
    context.globals = installation.globals;
  }
  if (now !== undefined) context.now = now;
  const doubles = doublesOf(flow);
  if (doubles !== undefined) context.doubles = doubles;
  // A wrapper execution sees the start it wraps (its flow, inputs and labels).
  if (execution.wrapped !== undefined) context.wrapped = wrappedScope(execution.wrapped);
  // `outputs` and `errorLogs` walk every task run: built when an expression reads them, not for
  // each of the 1000 jobs a ForEach renders (most read only `taskrun.value`). The execution is
  // immutable, so computing them later gives the same values.
  return Object.defineProperties(context, {
    outputs: memoized(() => outputsTree(execution)),
    tasks: memoized(() => tasksTree(execution)),
    errorLogs: memoized(() => errorLogsOf(execution)),
  }) as unknown as ExpressionContext;
};

/** `taskrun`, Kestra's names, in Kestra's order. */
const taskRunScope = (execution: Execution, taskRun: RenderedTaskRun): JsonObject => {
  const scope: JsonObject = { id: taskRun.id };
  if (taskRun.value !== undefined) scope.value = taskRun.value;
  if (taskRun.startDate !== undefined) scope.startDate = taskRun.startDate;
  scope.attemptsCount = taskRun.attemptsCount ?? 0;
  if (taskRun.parentTaskRunId !== undefined) scope.parentId = taskRun.parentTaskRunId;
  const iteration = iterationOf(execution, taskRun);
  if (iteration !== undefined) scope.iteration = iteration;
  return scope;
};

/**
 * FLOAT inputs are Java doubles in Kestra: `{{ inputs.price }}` of 5 prints 5.0, `/ 2` divides as
 * doubles. So are a Pause's FLOAT `onResume` inputs, which Kestra reads with the same
 * FlowInputOutput into the task run's outputs: `{{ outputs.pause.onResume.price }}` of 5 prints 5.0.
 * A flow revision never changes: its paths are found once, not for every context (they walk its tasks).
 */
const doublesOf = (flow: FlowDefinition | undefined): readonly string[] | undefined => {
  if (flow === undefined) return undefined;
  if (!doublesByFlow.has(flow)) {
    const doubles = [...flow.inputs.filter((i) => i.type === 'FLOAT').map((i) => `inputs.${i.id}`), ...onResumeDoubles(flow)];
    doublesByFlow.set(flow, doubles.length > 0 ? doubles : undefined);
  }
  return doublesByFlow.get(flow);
};

const doublesByFlow = new WeakMap<FlowDefinition, readonly string[] | undefined>();

/** `outputs.<pauseId>.onResume.<inputId>` of every FLOAT `onResume` input of the flow's Pause tasks. */
const onResumeDoubles = (flow: FlowDefinition): string[] => {
  const paths: string[] = [];
  for (const { task } of taskIndex(flow).values()) {
    const declared = task.type === 'Pause' ? task.properties.onResume : undefined;
    if (!Array.isArray(declared)) continue;
    for (const input of declared) {
      if (input !== null && typeof input === 'object' && !Array.isArray(input) && input.type === 'FLOAT' && typeof input.id === 'string') {
        paths.push(`outputs.${task.id}.onResume.${input.id}`);
      }
    }
  }
  return paths;
};

/** An enumerable property computed on its first read and kept. */
function memoized<T>(compute: () => T): PropertyDescriptor {
  let value: T;
  let computed = false;
  return {
    enumerable: true,
    // Configurable: a template's `set` may shadow it in a scope copied from the context.
    configurable: true,
    get: () => {
      if (!computed) {
        value = compute();
        computed = true;
      }
      return value;
    },
  };
}

/** Kestra adds flow input defaults at render time, so raw inputs without them still render. */
/**
 * Kestra's `tasks` variable (RunVariables, 0.21): `tasks.<taskId>.state`, or inside loops
 * `tasks.<taskId>.<value>.state`, the current state of the latest task run of each task.
 */
const tasksTree = (execution: Execution): JsonObject => {
  const tree: Record<string, JsonObject> = {};
  for (const run of execution.taskRuns) {
    const entry = { state: run.state };
    if (run.value === undefined) tree[run.taskId] = entry;
    else tree[run.taskId] = { ...(tree[run.taskId] ?? {}), [run.value]: entry };
  }
  return tree;
};

/**
 * Labels as expressions see them (Kestra's RunVariables.mapLabel): `system.*` labels nested under
 * `system`, the others by their key. Kestra gives every execution `system.correlationId` (its
 * own id, or the first execution's for a replay or retry, whose labels are copied) when it is
 * created, and so does Chronicle (lifecycle.control.ts); the scope still supplies it for an
 * execution recorded before Chronicle wrote the label.
 */
export const labelsScope = (labels: Readonly<Record<string, string>>, originalId: string): JsonObject => {
  const plain: JsonObject = {};
  const system: JsonObject = { correlationId: originalId };
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith('system.')) system[key.slice('system.'.length)] = value;
    else plain[key] = value;
  }
  return { ...plain, system };
};

const withInputDefaults = (inputs: JsonObject, flow: FlowDefinition | undefined): JsonObject => {
  if (flow === undefined) return inputs;
  // Not for a dotted id (its value nests), an input left out by its `dependsOn`, nor an expression default.
  const defaults = flow.inputs.flatMap((i): [string, JsonValue][] =>
    i.defaults !== undefined && !(i.id in inputs) && !i.id.includes('.') && i.dependsOn === undefined && !(typeof i.defaults === 'string' && i.defaults.includes('{{'))
      ? [[i.id, i.defaults]]
      : []);
  return defaults.length === 0 ? inputs : { ...Object.fromEntries(defaults), ...inputs };
};

const optional = <K extends string>(key: K, value: number | undefined): { [P in K]?: number } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };

/**
 * Kestra's `taskrun.iteration`: a LoopUntil/WaitFor child's loop iteration (1, 2, ...; Kestra 0.21's
 * FlowableUtils), or a loop child's position among its loop's values (0, 1, ...; Kestra >= 0.22's
 * ForEach). Absent elsewhere, as Kestra's RunVariables leaves it out.
 */
const iterationOf = (execution: Execution, taskRun: RenderedTaskRun): number | undefined => {
  const own = taskRun.iteration ?? taskRunById(execution, taskRun.id)?.iteration;
  if (own !== undefined) return own;
  if (taskRun.value === undefined || taskRun.parentTaskRunId === undefined) return undefined;
  const index = taskRunById(execution, taskRun.parentTaskRunId)?.iterations?.indexOf(taskRun.value) ?? -1;
  return index >= 0 ? index : undefined;
};

const parentsOf = (execution: Execution, parentId: string | undefined): JsonObject[] => {
  const result: JsonObject[] = [];
  for (let id = parentId; id !== undefined; id = taskRunById(execution, id)?.parentTaskRunId) {
    const parent = taskRunById(execution, id);
    if (parent === undefined) break;
    if (parent.value === undefined && parent.outputs === undefined) continue;
    result.push({
      taskrun: parent.value !== undefined ? { value: parent.value } : {},
      ...(parent.outputs !== undefined ? { outputs: parent.outputs } : {}),
    });
  }
  return result;
};

/**
 * `execution.state` (newer Kestra): the execution's state, except for the tasks of `afterExecution`,
 * which run while the execution still does and read the outcome it will end in.
 */
const stateSeenBy = (execution: Execution, flow: FlowDefinition | undefined, taskRun: RenderedTaskRun | undefined): State => {
  const after = flow?.afterExecution;
  if (after === undefined || taskRun === undefined || execution.state !== 'RUNNING' || !holds(after, taskRun.taskId)) return execution.state;
  const main = listOutcome(execution, flow!.tasks);
  return flow!.finally === undefined ? main : worst(main, listOutcome(execution, flow!.finally));
};

/** The outcome of a top-level list whose task runs all ended (errors never change a FAILED one). */
const listOutcome = (execution: Execution, tasks: readonly TaskDefinition[]): Exclude<Outcome, 'RUNNING'> => {
  const ids = new Set(tasks.map((t) => t.id));
  return execution.taskRuns
    .filter((run) => run.parentTaskRunId === undefined && ids.has(run.taskId))
    .reduce<Exclude<Outcome, 'RUNNING'>>((acc, run) => worst(acc, outcomeOf(run.state)), 'SUCCESS');
};

const holds = (tasks: readonly TaskDefinition[], taskId: string): boolean =>
  tasks.some((t) => t.id === taskId || Object.values(t.lists ?? {}).some((l) => holds(l, taskId)) || Object.values(t.cases ?? {}).some((l) => holds(l, taskId)));

/**
 * Kestra's RunVariables put `trigger.getVariables()` in scope: a Subflow or ForEachItem child, whose
 * trigger is `{ type, variables: { executionId, namespace, flowId } }`, reads `{{ trigger.executionId }}`
 * (and `read()` accepts its parent's files). Triggers stored flat (Flow, Schedule, Webhook) are their variables.
 */
const triggerScope = (trigger: JsonObject): JsonObject => {
  const variables = trigger.variables;
  return variables !== null && typeof variables === 'object' && !Array.isArray(variables) ? { ...trigger, ...variables } : trigger;
};

/**
 * Kestra's `Execution.outputs()`: a task run outside loops is `outputs[taskId]`; inside loops it is
 * `outputs[taskId][outerValue]...[ownValue]` (values of the ancestors that carry one, outermost first).
 */
export const outputsTree = (execution: Execution): JsonObject => {
  const byId = new Map(execution.taskRuns.map((t) => [t.id, t]));
  let tree: JsonObject = {};
  for (const taskRun of execution.taskRuns) {
    if (taskRun.outputs === undefined) continue;
    const chain = valueChain(taskRun, byId);
    let entry: JsonValue = taskRun.outputs;
    for (const value of [...chain].reverse()) entry = { [value]: entry };
    tree = merge(tree, { [taskRun.taskId]: entry });
  }
  return tree;
};

/** The loop values above and of a task run, outermost first (Kestra's `values` chain). */
export const valueChain = (taskRun: TaskRun, byId: ReadonlyMap<string, TaskRun>): string[] => {
  const values: string[] = taskRun.value !== undefined ? [taskRun.value] : [];
  for (let id = taskRun.parentTaskRunId; id !== undefined; id = byId.get(id)?.parentTaskRunId) {
    const parent = byId.get(id);
    if (parent === undefined) break;
    if (parent.value !== undefined) values.unshift(parent.value);
  }
  return values;
};

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const merge = (target: JsonObject, source: JsonObject): JsonObject => {
  const result: JsonObject = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const existing = result[key];
    // defineProperty keeps a key such as `__proto__` plain data.
    Object.defineProperty(result, key, {
      value: isObject(existing) && isObject(value) ? merge(existing, value) : value,
      enumerable: true, writable: true, configurable: true,
    });
  }
  return result;
};
