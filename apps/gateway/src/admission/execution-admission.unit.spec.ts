import { describe, expect, it } from 'vitest';
import { InFlightLimit, renderMetrics } from '@chronicle/runtime';
import type { CreatedExecution } from '@chronicle/use-cases';
import type { LiveUpdates } from '../live/live-updates.js';
import { ExecutionAdmission } from './execution-admission.js';

/** The one thing admission asks of the live updates: every execution's state as it is published. */
function liveStates() {
  let listener: ((executionId: string, state: string) => void) | undefined;
  const live = { onExecutionState: (l: typeof listener) => ((listener = l), () => (listener = undefined)) } as unknown as LiveUpdates;
  return { live, publish: (executionId: string, state: string) => listener?.(executionId, state) };
}

const created = (id: string) => ({ created: true, execution: { id } }) as unknown as CreatedExecution;

describe('ExecutionAdmission', () => {
  it('frees the slot of an execution whose end was published before its start returned (it ended in its creation\'s write)', async () => {
    const { live, publish } = liveStates();
    const admission = new ExecutionAdmission(new InFlightLimit({ max: 1, holdMs: 60_000 }), live);
    admission.listen();
    // On a busy machine the projection publishes the end before the gateway runs the append's continuation.
    await admission.start(async () => {
      publish('e1', 'RUNNING');
      publish('e1', 'SUCCESS');
      return created('e1');
    });
    expect(admission.inFlight).toBe(0);
    const next = await admission.start(async () => created('e2'));
    expect(next.execution.id).toBe('e2');
    expect(admission.inFlight).toBe(1);
    publish('e2', 'SUCCESS');
    expect(admission.inFlight).toBe(0);
    admission.stop();
  });

  it('reports its slots in use and its bound as gauges while it listens, and stops reporting once stopped', async () => {
    const { live, publish } = liveStates();
    const admission = new ExecutionAdmission(new InFlightLimit({ max: 3, holdMs: 60_000 }), live);
    admission.listen();
    await admission.start(async () => created('g1'));
    let text = await renderMetrics();
    expect(text).toContain('chronicle_admission_in_flight{path="gateway"} 1');
    expect(text).toContain('chronicle_admission_limit{path="gateway"} 3');
    publish('g1', 'SUCCESS');
    expect(await renderMetrics()).toContain('chronicle_admission_in_flight{path="gateway"} 0');
    admission.stop();
    text = await renderMetrics();
    expect(text).not.toContain('chronicle_admission_in_flight{path="gateway"}');
  });
});
