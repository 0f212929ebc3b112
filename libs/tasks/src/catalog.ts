import { coreTaskCatalogWith, type TaskCatalog, type TaskTypeDefinition } from '@chronicle/domain';
import type { RunnableTask } from './runnable-task.js';
import type { TaskModule } from './task-module.js';
import { CORE_RUNNERS } from './core-runners.js';
import { EXECUTION_COUNT, EXECUTION_PURGE_EXECUTIONS } from './execution/execution-admin.tasks.js';
import { EXECUTION_ASSERT } from './execution/assert.task.js';
import { HTTP_DOWNLOAD } from './http/download.task.js';
import { HTTP_REQUEST } from './http/request.task.js';
import { KV_DELETE, KV_GET, KV_GET_KEYS, KV_SET } from './kv/kv.tasks.js';
import { LOG_FETCH, LOG_PURGE_LOGS } from './log/log.tasks.js';
import { NAMESPACE_DELETE_FILES, NAMESPACE_DOWNLOAD_FILES, NAMESPACE_UPLOAD_FILES } from './namespace/namespace-files.tasks.js';
import { SCRIPT } from './script/script.task.js';
import { STATE_DELETE, STATE_GET, STATE_SET } from './state/state.tasks.js';
import {
  STORAGE_CONCAT, STORAGE_DELETE, STORAGE_PURGE_CURRENT_EXECUTION_FILES, STORAGE_REVERSE, STORAGE_SIZE, STORAGE_SPLIT, STORAGE_WRITE,
} from './storage/file.tasks.js';
import { STORAGE_DEDUPLICATE_ITEMS, STORAGE_FILTER_ITEMS } from './storage/items.tasks.js';
import { STORAGE_LOCAL_FILES } from './storage/local-files.task.js';
import { templatedTaskModule } from './templating/templated.task.js';
import { TRIGGER_TOGGLE } from './trigger/toggle.task.js';

/**
 * Every task type that does I/O, one module each (its definition and its runner, in its Kestra
 * package's folder). A new one is listed here; the order is the order an unknown type's message
 * names them in.
 */
const IO_MODULES: readonly TaskModule[] = [
  HTTP_REQUEST, SCRIPT,
  KV_SET, KV_GET, KV_GET_KEYS, KV_DELETE,
  STORAGE_WRITE, STORAGE_CONCAT, STORAGE_SPLIT, STORAGE_SIZE, STORAGE_DELETE, STORAGE_REVERSE, STORAGE_DEDUPLICATE_ITEMS, STORAGE_FILTER_ITEMS, STORAGE_PURGE_CURRENT_EXECUTION_FILES,
  NAMESPACE_UPLOAD_FILES, NAMESPACE_DOWNLOAD_FILES, NAMESPACE_DELETE_FILES,
  HTTP_DOWNLOAD,
  LOG_FETCH, LOG_PURGE_LOGS,
  EXECUTION_COUNT, EXECUTION_ASSERT, EXECUTION_PURGE_EXECUTIONS,
  STATE_SET, STATE_GET, STATE_DELETE,
  // Runs the task its spec describes, looked up in this catalog when it runs.
  templatedTaskModule(() => ({ taskTypes: TASK_CATALOG, runnerOf })),
  TRIGGER_TOGGLE,
  STORAGE_LOCAL_FILES,
];

/**
 * The full catalog: the domain's own types (flowables, pure types) and this library's modules. The
 * one every process parses and decides with (gateway, scheduler, executor, use cases, tests of
 * anything but the domain).
 */
export const TASK_CATALOG: TaskCatalog = coreTaskCatalogWith(IO_MODULES.map((m) => m.definition));

/** A task type as the worker knows it: its definition and, for a runnable type, its runner. */
export interface TaskTypeEntry {
  readonly definition: TaskTypeDefinition;
  /** Runnable types: the worker's runner. Flowables have none: the executor decides them. */
  readonly run?: RunnableTask;
  /** A local task: the executor runs its pure run inside the decision that dispatches it. */
  readonly local: boolean;
}

/**
 * Joins a catalog's definitions with their runners (the modules' and `coreRunners`), refusing a
 * mismatch: a runnable type without a runner, a runner for a type the catalog does not know or
 * decides itself, a module whose type is not runnable, or two runners for one type.
 */
export const joinRunners = (
  catalog: TaskCatalog,
  modules: readonly TaskModule[],
  coreRunners: Readonly<Record<string, RunnableTask>>,
): ReadonlyMap<string, TaskTypeEntry> => {
  const runners = new Map<string, RunnableTask>(Object.entries(coreRunners));
  const mismatches: string[] = [];
  for (const module of modules) {
    if (module.definition.kind !== 'runnable') mismatches.push(`module ${module.definition.name} is not a runnable type`);
    if (runners.has(module.definition.name)) mismatches.push(`type ${module.definition.name} has two runners`);
    runners.set(module.definition.name, module.run);
  }
  const byName = new Map(catalog.definitions.map((t) => [t.name, t]));
  mismatches.push(
    ...catalog.definitions.filter((t) => t.kind === 'runnable' && !runners.has(t.name)).map((t) => `runnable type ${t.name} has no runner in libs/tasks`),
    ...[...runners.keys()].filter((name) => byName.get(name)?.kind !== 'runnable').map((name) => `runner ${name} is for no runnable type of the catalog`),
  );
  if (mismatches.length > 0) throw new Error(`task types and runners do not match: ${mismatches.join('; ')}`);
  return new Map(catalog.definitions.map((definition) => [definition.name, {
    definition,
    ...(definition.kind === 'runnable' ? { run: runners.get(definition.name)! } : {}),
    local: definition.local === true,
  }]));
};

/** Every task type, by its canonical short name; built at load, which fails on a mismatch. */
export const TASK_TYPE_ENTRIES: ReadonlyMap<string, TaskTypeEntry> = joinRunners(TASK_CATALOG, IO_MODULES, CORE_RUNNERS);

/** The task type for any name a flow or a job may carry (short, full, Kestra's aliases); undefined when unknown. */
export const taskTypeEntryOf = (name: string): TaskTypeEntry | undefined => {
  const definition = TASK_CATALOG.find(name);
  return definition === undefined ? undefined : TASK_TYPE_ENTRIES.get(definition.name);
};

/** The runner of a runnable type (a job carries the canonical name); undefined for a flowable or an unknown type. */
export function runnerOf(type: string): RunnableTask | undefined {
  return taskTypeEntryOf(type)?.run;
}
