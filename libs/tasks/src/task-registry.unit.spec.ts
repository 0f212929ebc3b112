import { TASK_TYPES, type TaskTypeDefinition } from '@chronicle/domain';
import { describe, expect, it } from 'vitest';
import { runnerOf, TASK_MODULES, taskModuleOf } from './registry.js';

/**
 * The one registry of task types: the domain's definition of each type joined with its runner here
 * (registry.ts refuses to load when they do not match; this shows what it holds).
 */
const definitions = Object.values(TASK_TYPES as Record<string, TaskTypeDefinition>);

describe('the task registry', () => {
  it('holds every type the domain defines, each with its definition', () => {
    expect([...TASK_MODULES.keys()].sort()).toEqual(definitions.map((t) => t.name).sort());
    for (const t of definitions) expect(TASK_MODULES.get(t.name)!.definition).toBe(t);
  });

  it('gives every runnable type a runner and no flowable one (the executor decides those)', () => {
    for (const t of definitions) expect(typeof TASK_MODULES.get(t.name)!.run, t.name).toBe(t.kind === 'runnable' ? 'function' : 'undefined');
  });

  it('finds a type by any name a flow may use: short, full, or Kestra\'s older alias', () => {
    expect(taskModuleOf('Log')?.definition.name).toBe('Log');
    expect(taskModuleOf('io.kestra.plugin.core.log.Log')?.definition.name).toBe('Log');
    expect(taskModuleOf('io.kestra.core.tasks.storages.Concat')?.definition.name).toBe('storage.Concat');
    expect(taskModuleOf('NoSuchTask')).toBeUndefined();
    expect(runnerOf('Sequential')).toBeUndefined();
  });

  it('marks the local tasks (the executor runs them inside a decision), which are runnable types the worker also runs', () => {
    const local = [...TASK_MODULES.values()].filter((m) => m.local);
    expect(local.map((m) => m.definition.name).sort()).toEqual(['Log', 'OutputValues', 'Return']);
    for (const m of local) expect(m.run, m.definition.name).toBeTypeOf('function');
  });
});
