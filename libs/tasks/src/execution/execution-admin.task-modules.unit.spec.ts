import { describe, expect, it } from 'vitest';
import { issuesOf } from '../test-support/deploy-issues.js';

describe('execution.Count and execution.PurgeExecutions at deploy (the worker runs them)', () => {
  it('accepts the documented examples (Count.java, PurgeExecutions.java) and Kestra\'s old name Counts', () => {
    // core/src/main/java/io/kestra/plugin/core/execution/Count.java, @Example
    expect(issuesOf('id: f\nnamespace: company.team\ntasks:\n  - id: counts\n    type: io.kestra.core.tasks.executions.Counts\n    expression: "{{ count == 0 }}"\n    flows:\n      - namespace: company.team\n        flowId: logs\n    startDate: "{{ now() | dateAdd(-1, \'DAYS\') }}"\n')).toEqual([]);
    // core/src/main/java/io/kestra/plugin/core/execution/PurgeExecutions.java, @Example
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - id: purge\n    type: io.kestra.plugin.core.execution.PurgeExecutions\n    endDate: "{{ now() | dateAdd(-1, \'MONTHS\') }}"\n    states:\n     - KILLED\n     - FAILED\n     - WARNING\n     - SUCCESS\n')).toEqual([]);
  });

  it('refuses missing and mistyped properties with their names', () => {
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: c, type: io.kestra.plugin.core.execution.Count, flows: [{ namespace: n }], expression: x }\n')).toEqual([
      'tasks[0].flows: must be a list of { namespace, flowId }',
      'tasks[0]: required property "startDate" is missing',
    ]);
    expect(issuesOf('id: f\nnamespace: n\ntasks:\n  - { id: p, type: io.kestra.plugin.core.execution.PurgeExecutions, states: [DONE], purgeLogs: true }\n')).toEqual([
      'tasks[0].purgeLogs: unknown property "purgeLogs"; this task type has namespace, flowId, startDate, endDate, states, purgeExecution, purgeLog, purgeMetric, purgeStorage',
      'tasks[0]: required property "endDate" is missing',
      expect.stringContaining('tasks[0].states: must be a list of states (CREATED,'),
    ]);
  });

  it('refuses purgeMetric apart from purgeExecution: metrics live in their execution\'s history (ExecutionService.purge purges them apart)', () => {
    const purge = (flags: string) => issuesOf(`id: f\nnamespace: n\ntasks:\n  - { id: p, type: io.kestra.plugin.core.execution.PurgeExecutions, endDate: x${flags} }\n`);
    expect(purge('')).toEqual([]);
    expect(purge(', purgeExecution: false, purgeMetric: false')).toEqual([]);
    expect(purge(', purgeExecution: false')).toEqual([expect.stringMatching(/^tasks\[0\]\.purgeMetric: purgeMetric true with purgeExecution false is not supported by Chronicle: a task's metrics are kept in its execution's history/)]);
    expect(purge(', purgeMetric: false')).toEqual([expect.stringMatching(/^tasks\[0\]\.purgeMetric: purgeMetric false with purgeExecution true is not supported/)]);
  });
});
