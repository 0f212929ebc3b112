import { describe, expect, it } from 'vitest';
import { Scenario, T } from '../testing/execution-scenario.js';

describe('Subflow', () => {
  const subflow = (extra = '') => `id: parent
namespace: n
labels: { team: data }
tasks:
  - id: launch
    type: io.kestra.plugin.core.flow.Subflow
    namespace: n
    flowId: child
    inputs: { x: "{{ execution.id }}" }
    labels: { from: launch }
${extra}`;

  it('asks for a child execution with a deterministic id and waits for it', () => {
    const s = new Scenario(subflow('    inheritLabels: true\n    transmitFailed: true\n'));
    const events = s.advance();
    expect(events.slice(-2)).toEqual([
      { type: 'TaskRunStarted', data: { taskRunId: 'e.0', attempt: 1, at: T(1) } },
      {
        type: 'ChildExecutionRequested',
        data: {
          childExecutionId: 'e.0.subflow.1', taskRunId: 'e.0', attempt: 1, namespace: 'n', flowId: 'child', inputs: { x: 'e' },
          labels: { team: 'data', 'system.correlationId': 'e', from: 'launch' },
          trigger: { type: 'io.kestra.plugin.core.flow.Subflow', variables: { executionId: 'e', namespace: 'n', flowId: 'parent', flowRevision: 1 } },
          wait: true, transmitFailed: true, at: T(1),
        },
      },
    ]);
    const ended = { type: 'ChildExecutionEnded' as const, executionId: 'e', childExecutionId: 'e.0.subflow.1', taskRunId: 'e.0', now: T(5) };
    s.when({ ...ended, state: 'FAILED', outputs: { o: 1 } });
    expect(s.run('launch')).toMatchObject({ state: 'FAILED', outputs: { executionId: 'e.0.subflow.1', state: 'FAILED', outputs: { o: 1 } } });
    expect(s.execution.state).toBe('FAILED');
    expect(s.when({ ...ended, state: 'FAILED' })).toEqual([]);
  });

  it('transmitFailed defaults to true, as in Kestra (core/src/main/java/io/kestra/plugin/core/flow/Subflow.java)', () => {
    const s = new Scenario(subflow());
    s.advance();
    expect(s.history).toContainEqual(expect.objectContaining({ type: 'ChildExecutionRequested', data: expect.objectContaining({ transmitFailed: true }) }));
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', childExecutionId: 'e.0.subflow.1', taskRunId: 'e.0', state: 'FAILED', now: T(5) });
    expect(s.run('launch').state).toBe('FAILED');
    expect(s.execution.state).toBe('FAILED');
  });

  it('transmitFailed with allowFailure ends the task WARNING, with allowWarning too SUCCESS (ExecutableUtils.guessState)', () => {
    const child = (extra: string) => {
      const s = new Scenario(subflow(extra));
      s.advance();
      s.when({ type: 'ChildExecutionEnded', executionId: 'e', childExecutionId: 'e.0.subflow.1', taskRunId: 'e.0', state: 'FAILED', now: T(5) });
      return s;
    };
    expect(child('    allowFailure: true\n').run('launch').state).toBe('WARNING');
    expect(child('    allowFailure: true\n    allowWarning: true\n').run('launch').state).toBe('SUCCESS');
    const warned = new Scenario(subflow('    allowWarning: true\n'));
    warned.advance();
    warned.when({ type: 'ChildExecutionEnded', executionId: 'e', childExecutionId: 'e.0.subflow.1', taskRunId: 'e.0', state: 'WARNING', now: T(5) });
    expect(warned.run('launch').state).toBe('SUCCESS');
  });

  it('with transmitFailed: false a failed child still succeeds the task; wait: false succeeds at once', () => {
    const s = new Scenario(subflow('    transmitFailed: false\n'));
    s.advance();
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', childExecutionId: 'e.0.subflow.1', taskRunId: 'e.0', state: 'FAILED', now: T(5) });
    expect(s.execution.state).toBe('SUCCESS');
    const noWait = new Scenario(subflow('    wait: false\n'));
    noWait.advance();
    expect(noWait.run('launch')).toMatchObject({ state: 'SUCCESS', outputs: { executionId: 'e.0.subflow.1' } });
    expect(noWait.execution.state).toBe('SUCCESS');
  });

  it("fails the task when its outputs cannot render, keeping the child's executionId and state (as Kestra)", () => {
    const s = new Scenario(subflow('    outputs:\n      extracted: "{{ outputs.missing.value }}"\n'));
    s.advance();
    s.when({ type: 'ChildExecutionEnded', executionId: 'e', childExecutionId: 'e.0.subflow.1', taskRunId: 'e.0', state: 'SUCCESS', now: T(5) });
    const run = s.run('launch');
    expect(run).toMatchObject({ state: 'FAILED', outputs: { executionId: 'e.0.subflow.1', state: 'SUCCESS' } });
    expect(run.error).toMatch(/property "outputs".*undefined variable "outputs.missing"/);
    expect(s.execution.state).toBe('FAILED');
  });

  it('kills the child with the parent', () => {
    const s = new Scenario(subflow());
    s.advance();
    const events = s.when({ type: 'KillExecution', executionId: 'e', now: T(2) });
    expect(events).toContainEqual({ type: 'TaskRunKillRequested', data: { taskRunId: 'e.0', attempt: 1, childExecutionId: 'e.0.subflow.1', at: T(2) } });
    expect(s.execution.state).toBe('KILLED');
  });
});
