import { createExecution, deployFlow, ExecutionRepository, FlowRepository } from '@chronicle/use-cases';
import { executionStreamId } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { createLogger } from '@chronicle/runtime';
import { BENCHMARK01_FLOW } from '@chronicle/testing';
import { describe, expect, it, vi } from 'vitest';
import { ExecutionCommandHandler } from '../commands/execution-command.handler.js';
import { IntentContextCache } from './intent-context.cache.js';
import { TaskIdCache } from './task-id.cache.js';
import { TASK_CATALOG } from '@chronicle/tasks';

const NOW = '2025-01-01T00:00:00.000Z';
const clock = { now: () => NOW };

/** A log with `count` started benchmark01 executions (ExecutionCreated and TaskRunCreated each), and their events. */
async function startedExecutions(count: number) {
  const store = new InMemoryEventStore();
  const deps = { store, flows: new FlowRepository(store, TASK_CATALOG), executions: new ExecutionRepository(store), clock };
  const handler = new ExecutionCommandHandler(store, deps.flows, deps.executions, clock, createLogger('test', 'silent'), { localTasks: false });
  await deployFlow(deps, BENCHMARK01_FLOW);
  const executions = [];
  for (let i = 0; i < count; i++) {
    const { execution } = await createExecution(deps, { namespace: 'benchmarks', flowId: 'benchmark01', inputs: { name: `n${i}` } });
    await handler.handle([{ type: 'AdvanceExecution', executionId: execution.id, now: NOW }]);
    const events = await store.readStream(executionStreamId(execution.id));
    executions.push({ id: execution.id, created: events.find((e) => e.type === 'ExecutionCreated')!, taskRun: events.find((e) => e.type === 'TaskRunCreated')! });
  }
  return { store, executions };
}

describe('the outbox relay\'s caches: bounded, and they forget an execution once it ended', () => {
  it('IntentContextCache answers from memory, holds at most maxEntries, and reads the stream back after forget', async () => {
    const { store, executions } = await startedExecutions(3);
    const reads = vi.spyOn(store, 'readStream');
    const cache = new IntentContextCache(store, 2);
    for (const e of executions) cache.observe(e.created);
    expect(cache.size).toBe(2);
    const [, second] = executions;
    const remembered = await cache.contextOf(second!.created);
    expect(reads).not.toHaveBeenCalled();
    cache.forget(second!.id);
    expect(cache.size).toBe(1);
    expect(await cache.contextOf(second!.created)).toEqual(remembered);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('TaskIdCache answers from memory, holds at most maxExecutions, and folds the stream after forget', async () => {
    const { store, executions } = await startedExecutions(3);
    const reads = vi.spyOn(store, 'readStream');
    const cache = new TaskIdCache(store, 2);
    for (const e of executions) cache.observe(e.taskRun);
    expect(cache.size).toBe(2);
    const [, second] = executions;
    expect(await cache.taskIdOf(second!.taskRun)).toBe('concatenate');
    expect(reads).not.toHaveBeenCalled();
    cache.forget(second!.id);
    expect(cache.size).toBe(1);
    expect(await cache.taskIdOf(second!.taskRun)).toBe('concatenate');
    expect(reads).toHaveBeenCalledTimes(1);
  });
});
