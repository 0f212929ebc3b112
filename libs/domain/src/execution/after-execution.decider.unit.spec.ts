import { describe, expect, it } from 'vitest';
import { Scenario, T } from '../testing/execution-scenario.js';
import type { ExecutionEvent } from './execution.events.js';

/** The rendered `message` of the job a step created for `taskId`. */
const messageOf = (events: readonly ExecutionEvent[], taskId: string): unknown =>
  events.flatMap((e) => (e.type === 'TaskRunCreated' && e.data.taskId === taskId ? [e.data.job?.properties.message] : []))[0];

/**
 * Kestra's flow `afterExecution` (Kestra >= 0.22, kestra.io/docs/workflow-components/afterexecution):
 * tasks that run once the flow's outcome is known, reading it as `{{ execution.state }}`; their own
 * failures do not change the state the execution ends in.
 */
const FLOW = `id: f
namespace: n
tasks:
  - id: work
    type: Log
    message: work
afterExecution:
  - id: onSuccess
    type: Log
    runIf: "{{ execution.state == 'SUCCESS' }}"
    message: "ok {{ execution.state }}"
  - id: onFailure
    type: Log
    runIf: "{{ execution.state == 'FAILED' }}"
    message: "failed {{ execution.state }}"
`;

describe('afterExecution', () => {
  it('runs after a failure with execution.state FAILED, and the execution ends FAILED', () => {
    const s = new Scenario(FLOW);
    s.advance();
    const events = s.fail('work');
    expect(s.execution.state).toBe('RUNNING');
    expect(s.states()).toEqual(['work:FAILED', 'onSuccess:SKIPPED', 'onFailure:CREATED']);
    expect(messageOf(events, 'onFailure')).toBe('failed FAILED');
    s.complete('onFailure', {}, T(3));
    expect(s.execution.state).toBe('FAILED');
  });

  it('runs after a success with execution.state SUCCESS; a failing afterExecution task leaves it SUCCESS', () => {
    const s = new Scenario(FLOW);
    s.advance();
    const events = s.complete('work');
    expect(s.states()).toEqual(['work:SUCCESS', 'onSuccess:CREATED']);
    expect(messageOf(events, 'onSuccess')).toBe('ok SUCCESS');
    s.fail('onSuccess', 'notification failed', T(3));
    expect(s.execution.state).toBe('SUCCESS');
  });

  it('runs after errors and finally, with their outcome', () => {
    const s = new Scenario(`id: f
namespace: n
tasks:
  - { id: work, type: Log, message: work }
errors:
  - { id: handle, type: Log, message: handled }
finally:
  - { id: cleanup, type: Log, message: cleanup }
afterExecution:
  - { id: report, type: Log, message: "{{ execution.state }}" }
`);
    s.advance();
    s.fail('work');
    expect(s.states()).toEqual(['work:FAILED', 'handle:CREATED']);
    s.complete('handle', {}, T(3));
    expect(s.states()).toEqual(['work:FAILED', 'handle:SUCCESS', 'cleanup:CREATED']);
    expect(messageOf(s.complete('cleanup', {}, T(4)), 'report')).toBe('FAILED');
    s.complete('report', {}, T(5));
    expect(s.execution.state).toBe('FAILED');
  });
});
