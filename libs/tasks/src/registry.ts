import { TASK_TYPES, findTaskType, type TaskTypeDefinition } from '@chronicle/domain';
import type { RunnableTask } from './runnable-task.js';
import { RUNNABLE_TASKS } from './runners.js';

/**
 * One entry a task type: what it is (the domain's definition: names, aliases, property schema and
 * validation, kind, and for a local task its pure run) and, for a runnable type, how the worker runs
 * it (its runner in this library). The definition stays in the domain because the flow parser and
 * the decider read it and the domain imports no library; the runner is here because it does I/O.
 * Built once, at load, and refused at load when the two halves do not match: a runnable type
 * without a runner, or a runner for a type the domain does not know or decides itself.
 */
export interface TaskModule {
  readonly definition: TaskTypeDefinition;
  /** Runnable types: the worker's runner. Flowables have none: the executor decides them. */
  readonly run?: RunnableTask;
  /** A local task: the executor runs its pure run inside the decision that dispatches it. */
  readonly local: boolean;
}

const definitions = Object.values(TASK_TYPES as Record<string, TaskTypeDefinition>);

const build = (): ReadonlyMap<string, TaskModule> => {
  const byName = new Map(definitions.map((t) => [t.name, t]));
  const mismatches = [
    ...definitions.filter((t) => t.kind === 'runnable' && RUNNABLE_TASKS[t.name] === undefined).map((t) => `runnable type ${t.name} has no runner in libs/tasks`),
    ...Object.keys(RUNNABLE_TASKS).filter((name) => byName.get(name)?.kind !== 'runnable').map((name) => `runner ${name} is for no runnable type of the domain's registry`),
  ];
  if (mismatches.length > 0) throw new Error(`task types and runners do not match: ${mismatches.join('; ')}`);
  return new Map(definitions.map((definition) => [definition.name, {
    definition,
    ...(definition.kind === 'runnable' ? { run: RUNNABLE_TASKS[definition.name]! } : {}),
    local: definition.local === true,
  }]));
};

/** Every task type, by its canonical short name. */
export const TASK_MODULES: ReadonlyMap<string, TaskModule> = build();

/** The task type for any name a flow or a job may carry (short, full, Kestra's aliases); undefined when unknown. */
export const taskModuleOf = (name: string): TaskModule | undefined => {
  const definition = findTaskType(name);
  return definition === undefined ? undefined : TASK_MODULES.get(definition.name);
};

/** The runner of a runnable type (a job carries the canonical name); undefined for a flowable or an unknown type. */
export const runnerOf = (type: string): RunnableTask | undefined => taskModuleOf(type)?.run;
