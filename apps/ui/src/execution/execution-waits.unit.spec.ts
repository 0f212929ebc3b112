import { describe, expect, it } from 'vitest';
import type { TaskRun } from '../api/types.js';
import { executionWaits } from './execution-waits.js';

const run = (id: string, taskId: string, state: string, outputs?: unknown) => ({ id, taskId, state, attempts: [], outputs } as unknown as TaskRun);

describe('executionWaits', () => {
  const tasks = [
    { id: 'log', type: 'io.kestra.plugin.core.log.Log' },
    { id: 'par', type: 'io.kestra.plugin.core.flow.Parallel', tasks: [
      { id: 'deploy', type: 'io.chronicle.plugin.core.execution.WaitForExecution', labels: { release: '{{ inputs.r }}' }, states: ['RUNNING'] },
      { id: 'plain', type: 'WaitForExecution', executionId: 'x' },
    ] },
  ];

  it('lists the running WaitForExecution task runs with their target (once chosen) and wanted states', () => {
    expect(executionWaits([
      run('e.0', 'log', 'RUNNING'),
      run('e.1', 'deploy', 'RUNNING', { executionId: 'target-1' }),
      run('e.2', 'plain', 'RUNNING', {}),
    ], tasks)).toEqual([
      { taskRunId: 'e.1', taskId: 'deploy', executionId: 'target-1', labels: { release: '{{ inputs.r }}' }, states: ['RUNNING'] },
      { taskRunId: 'e.2', taskId: 'plain', states: ['SUCCESS'] },
    ]);
  });

  it('leaves out ended waits and flows without such a task', () => {
    expect(executionWaits([run('e.1', 'deploy', 'SUCCESS', { executionId: 't', state: 'RUNNING' })], tasks)).toEqual([]);
    expect(executionWaits([run('e.0', 'log', 'RUNNING')], [{ id: 'log', type: 'Log' }])).toEqual([]);
  });
});
