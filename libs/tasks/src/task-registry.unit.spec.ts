import { runsLocally, TASK_TYPES, type TaskTypeDefinition } from '@chronicle/domain';
import { describe, expect, it } from 'vitest';
import { RUNNABLE_TASKS } from './runners.js';

/**
 * A task type's definition and validation are the domain's (libs/domain/src/flow, by name); a
 * runnable's behaviour is the worker's file here, or the domain's pure local task that the worker's
 * file, the executor and the domain's test driver all call. The two registries name the same types.
 */
const definitions = Object.values(TASK_TYPES as Record<string, TaskTypeDefinition>);
const runnable = definitions.filter((t) => t.kind === 'runnable').map((t) => t.name).sort();

describe('the worker\'s tasks and the domain\'s task types', () => {
  it('the worker runs every runnable type the domain accepts, and no other', () => {
    expect(Object.keys(RUNNABLE_TASKS).sort()).toEqual(runnable);
  });

  it('runs no flowable type (the executor decides those)', () => {
    const flowable = definitions.filter((t) => t.kind === 'flowable').map((t) => t.name);
    expect(flowable.filter((name) => name in RUNNABLE_TASKS)).toEqual([]);
  });

  it('the local tasks (the executor runs them inside a decision) are runnable types the worker also runs', () => {
    const local = definitions.map((t) => t.name).filter(runsLocally);
    expect(local.length).toBeGreaterThan(0);
    for (const name of local) expect(runnable, name).toContain(name);
  });
});
