import type { StartChildExecutionMessage } from '@chronicle/contracts';
import { deployFlow, ExecutionRepository, FlowRepository } from '@chronicle/use-cases';
import { parseNamespaceAllow } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { createLogger, systemClock } from '@chronicle/runtime';
import { describe, expect, it } from 'vitest';
import { ExecutionCreationHandler } from './execution-creation.handler.js';
import { TASK_CATALOG } from '@chronicle/tasks';

const logger = createLogger('test', 'silent');

async function handlerWith(allow: string | undefined) {
  const store = new InMemoryEventStore();
  const deps = { store, flows: new FlowRepository(store, TASK_CATALOG), executions: new ExecutionRepository(store), clock: systemClock };
  for (const ns of ['teamA.sub', 'teamB', 'shared']) await deployFlow(deps, `id: child\nnamespace: ${ns}\ntasks:\n  - id: a\n    type: Log\n    message: hi\n`);
  return { deps, handler: new ExecutionCreationHandler(deps, logger, parseNamespaceAllow(allow)) };
}

const request = (caller: string, target: string, n: number): StartChildExecutionMessage => ({
  type: 'StartChildExecution', parentExecutionId: `parent-${n}`, childExecutionId: `child-${n}`, taskRunId: `parent-${n}.0`, attempt: 1,
  namespace: target, flowId: 'child', inputs: {}, labels: {},
  trigger: { type: 'io.kestra.plugin.core.flow.Subflow', variables: { executionId: `parent-${n}`, namespace: caller, flowId: 'parent', flowRevision: 1 } },
  wait: true, transmitFailed: true, requestedAt: new Date(0).toISOString(),
});

describe('a Subflow\'s child in another namespace', () => {
  it('is created in the caller\'s namespace children and in namespaces CHRONICLE_NAMESPACE_ALLOW allows', async () => {
    const { deps, handler } = await handlerWith('teamA->shared');
    const outcome = await handler.handle([request('teamA', 'teamA.sub', 1), request('teamA', 'shared', 2)]);
    expect(outcome.replies).toEqual([]);
    expect((await deps.executions.load('child-1'))?.namespace).toBe('teamA.sub');
    expect((await deps.executions.load('child-2'))?.namespace).toBe('shared');
  });

  it('is refused elsewhere: no child, and the parent learns why, naming the setting', async () => {
    const { deps, handler } = await handlerWith('teamA->shared');
    const outcome = await handler.handle([request('teamA', 'teamB', 3), request('teamB', 'shared', 4), request('teamA.sub', 'teamA', 5)]);
    expect(outcome.replies.map((r) => r.key)).toEqual(['parent-3', 'parent-4', 'parent-5']);
    expect(outcome.replies[0]!.value).toMatchObject({
      type: 'ChildExecutionEnded', state: 'FAILED', notCreated: true,
      error: expect.stringMatching(/namespace teamA may not start a flow in namespace teamB: .*CHRONICLE_NAMESPACE_ALLOW \(e\.g\. teamA->teamB\)/),
    });
    for (const id of ['child-3', 'child-4', 'child-5']) expect(await deps.executions.load(id)).toBeUndefined();
  });
});
