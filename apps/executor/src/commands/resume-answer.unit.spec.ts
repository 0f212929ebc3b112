import { createExecution, deployFlow, ExecutionRepository, FlowRepository } from '@chronicle/use-cases';
import { executionStreamId } from '@chronicle/domain';
import { InMemoryEventStore } from '@chronicle/event-store/memory';
import { createLogger } from '@chronicle/runtime';
import { describe, expect, it } from 'vitest';
import { ExecutionCommandHandler } from './execution-command.handler.js';
import { TASK_CATALOG } from '@chronicle/tasks';

const AT = '2025-01-01T00:00:00.000Z';
const clock = { now: () => AT };

// Kestra: core/src/test/resources/flows/valids/resume-execution.yaml; Resume.java fails with
// "No execution found for execution id ..." when the execution it names does not exist.
const RESUME = 'id: resume-execution\nnamespace: io.kestra.tests\ninputs:\n  - id: executionId\n    type: STRING\ntasks:\n  - id: resume\n    type: io.kestra.plugin.core.execution.Resume\n    executionId: "{{inputs.executionId}}"\n';

describe('a Resume task whose target execution does not exist', () => {
  it('fails with Kestra\'s message instead of waiting for an answer that never comes', async () => {
    const store = new InMemoryEventStore();
    const deps = { store, flows: new FlowRepository(store, TASK_CATALOG), executions: new ExecutionRepository(store), clock };
    await deployFlow(deps, RESUME);
    const caller = (await createExecution(deps, { namespace: 'io.kestra.tests', flowId: 'resume-execution', inputs: { executionId: 'missing' } })).execution.id;
    const handler = new ExecutionCommandHandler(store, deps.flows, deps.executions, clock, createLogger('test', 'silent'), { localTasks: true });
    expect(await handler.handle([{ type: 'AdvanceExecution', executionId: caller, now: AT }])).toEqual([]);
    expect((await deps.executions.load(caller))!.taskRuns.map((t) => t.state)).toEqual(['RUNNING']);
    const taskRunId = (await deps.executions.load(caller))!.taskRuns[0]!.id;

    // What the relay sends for the task's ExecutionResumeRequested.
    const rejected = await handler.handle([{ type: 'ResumeExecution', executionId: 'missing', approve: true, requestedBy: { executionId: caller, taskRunId }, now: AT }]);

    expect(rejected).toEqual([]);
    const execution = (await deps.executions.load(caller))!;
    expect(execution.taskRuns[0]).toMatchObject({ state: 'FAILED', error: 'task resume: No execution found for execution id missing' });
    expect(execution.state).toBe('FAILED');
    expect(await store.readStream(executionStreamId('missing'))).toEqual([]);
  });
});
