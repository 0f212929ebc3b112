import { KESTRA_TASK_ALIASES } from './aliases.js';
import type { TaskTypeDefinition } from './task-type-definition.js';

/**
 * The task types a flow may name: the port through which the flow parser (deploy-time validation)
 * and the decider (runnable or flowable, I/O flags, local run) learn what a type is. The domain
 * holds the engine's own types (CORE_TASK_CATALOG: the flowables it decides and the pure local
 * types); `libs/tasks` adds its I/O modules and hands the full catalog to every process. The parser
 * and the decider take it as a parameter, never from a global: a caller that forgets it does not
 * compile.
 */
export interface TaskCatalog {
  /** The type for a short or full name, or one of Kestra's older aliases; undefined when unknown. */
  find(name: string): TaskTypeDefinition | undefined;
  /** Every type, in the order given. */
  readonly definitions: readonly TaskTypeDefinition[];
  /** Short names, for messages that list what is supported. */
  readonly names: readonly string[];
}

/**
 * A catalog of these types. Refuses, at build, two types that claim the same name (short, full or
 * alias): a flow's `type:` must name exactly one.
 */
export const taskCatalogOf = (definitions: readonly TaskTypeDefinition[]): TaskCatalog => {
  const byAnyName = new Map<string, TaskTypeDefinition>();
  for (const t of definitions) {
    for (const name of new Set([t.name, t.fullName, ...(t.aliases ?? [])])) {
      const taken = byAnyName.get(name);
      if (taken !== undefined && taken !== t) throw new Error(`task types ${taken.name} and ${t.name} both claim the name ${name}`);
      byAnyName.set(name, t);
    }
  }
  return {
    find: (name) => {
      const found = byAnyName.get(name);
      if (found !== undefined) return found;
      const current = KESTRA_TASK_ALIASES[name];
      return current === undefined ? undefined : byAnyName.get(current);
    },
    definitions,
    names: definitions.map((t) => t.name),
  };
};
