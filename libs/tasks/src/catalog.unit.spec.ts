import { CORE_TASK_CATALOG, coreTaskCatalogWith, parseFlow } from '@chronicle/domain';
import { describe, expect, it } from 'vitest';
import { joinRunners, runnerOf, TASK_CATALOG, TASK_TYPE_ENTRIES, taskTypeEntryOf } from './catalog.js';
import { CORE_RUNNERS } from './core-runners.js';
import { KV_GET, KV_SET } from './kv/kv.tasks.js';

/**
 * The full task catalog: the domain's own types (flowables, pure types) and this library's I/O
 * modules, each joined with its runner (catalog.ts refuses to load when they do not match; this shows
 * what it holds).
 */
const definitions = TASK_CATALOG.definitions;

describe('the task catalog', () => {
  it('holds every core type of the domain and every I/O module, each with its definition', () => {
    expect([...TASK_TYPE_ENTRIES.keys()].sort()).toEqual(definitions.map((t) => t.name).sort());
    for (const t of definitions) expect(TASK_TYPE_ENTRIES.get(t.name)!.definition).toBe(t);
    for (const t of CORE_TASK_CATALOG.definitions) expect(TASK_CATALOG.find(t.name)).toBe(t);
    expect(definitions.length).toBeGreaterThan(CORE_TASK_CATALOG.definitions.length + 25);
  });

  it('gives every runnable type a runner and no flowable one (the executor decides those)', () => {
    for (const t of definitions) expect(typeof TASK_TYPE_ENTRIES.get(t.name)!.run, t.name).toBe(t.kind === 'runnable' ? 'function' : 'undefined');
  });

  it('finds a type by any name a flow may use: short, full, or Kestra\'s older alias', () => {
    expect(taskTypeEntryOf('Log')?.definition.name).toBe('Log');
    expect(taskTypeEntryOf('io.kestra.plugin.core.log.Log')?.definition.name).toBe('Log');
    expect(taskTypeEntryOf('io.kestra.core.tasks.storages.Concat')?.definition.name).toBe('storage.Concat');
    expect(TASK_CATALOG.find('io.kestra.plugin.core.kv.Set')?.name).toBe('kv.Set');
    expect(TASK_CATALOG.find('io.kestra.plugin.core.storage.PurgeExecution')?.name).toBe('storage.PurgeCurrentExecutionFiles');
    expect(TASK_CATALOG.find('io.kestra.plugin.core.namespace.DownloadFiles')?.name).toBe('namespace.DownloadFiles');
    expect(TASK_CATALOG.find('io.kestra.plugin.fs.http.Request')?.name).toBe('Request');
    expect(taskTypeEntryOf('NoSuchTask')).toBeUndefined();
    expect(runnerOf('Sequential')).toBeUndefined();
  });

  it('marks the local tasks (the executor runs them inside a decision), which are runnable types the worker also runs', () => {
    const local = [...TASK_TYPE_ENTRIES.values()].filter((m) => m.local);
    expect(local.map((m) => m.definition.name).sort()).toEqual(['Log', 'OutputValues', 'Return']);
    for (const m of local) expect(m.run, m.definition.name).toBeTypeOf('function');
  });

  it('lists every type in an unknown type\'s message, flowables first, the I/O modules after the pure runnables', () => {
    let message = '';
    try {
      parseFlow('id: f\nnamespace: n\ntasks:\n  - { id: a, type: Nope }\n', TASK_CATALOG);
    } catch (error) {
      message = (error as Error).message;
    }
    const listed = message.replace(/^.*supported: /s, '').replace(/ \(line.*$/s, '').split(', ');
    expect(listed).toEqual(TASK_CATALOG.names);
    expect(listed.slice(0, 2)).toEqual(['Sequential', 'Parallel']);
    expect(listed.slice(listed.indexOf('Echo') + 1, listed.indexOf('Echo') + 4)).toEqual(['Request', 'Script', 'kv.Set']);
    expect(listed.at(-1)).toBe('RunWrapped');
  });

  it('knows only the core types in the domain\'s own catalog: an I/O type is unknown there', () => {
    expect(CORE_TASK_CATALOG.find('kv.Set')).toBeUndefined();
    expect(() => parseFlow('id: f\nnamespace: n\ntasks:\n  - { id: a, type: kv.Get, key: k }\n', CORE_TASK_CATALOG)).toThrow(/unknown task type "kv.Get"/);
    expect(() => parseFlow('id: f\nnamespace: n\ntasks:\n  - { id: a, type: kv.Get, key: k }\n', TASK_CATALOG)).not.toThrow();
  });

  it('refuses to load when definitions and runners do not match', () => {
    const withKv = coreTaskCatalogWith([KV_GET.definition, KV_SET.definition]);
    expect(joinRunners(withKv, [KV_GET, KV_SET], CORE_RUNNERS).get('kv.Get')?.run).toBe(KV_GET.run);
    expect(() => joinRunners(withKv, [KV_GET], CORE_RUNNERS)).toThrow('task types and runners do not match: runnable type kv.Set has no runner in libs/tasks');
    expect(() => joinRunners(CORE_TASK_CATALOG, [KV_GET], CORE_RUNNERS)).toThrow('runner kv.Get is for no runnable type of the catalog');
    expect(() => joinRunners(withKv, [KV_GET, KV_SET, KV_GET], CORE_RUNNERS)).toThrow('type kv.Get has two runners');
    const flowableModule = { definition: { ...KV_GET.definition, kind: 'flowable' as const }, run: KV_GET.run };
    expect(() => joinRunners(withKv, [flowableModule, KV_SET], CORE_RUNNERS)).toThrow('module kv.Get is not a runnable type');
    const { Log: _log, ...withoutLog } = CORE_RUNNERS;
    expect(() => joinRunners(CORE_TASK_CATALOG, [], withoutLog)).toThrow('runnable type Log has no runner in libs/tasks');
  });

  it('refuses two types that claim one name', () => {
    expect(() => coreTaskCatalogWith([{ ...KV_GET.definition, name: 'kv.Other', aliases: ['io.kestra.plugin.core.log.Log'] }])).toThrow('task types Log and kv.Other both claim the name io.kestra.plugin.core.log.Log');
  });
});
