import type { Execution } from '@chronicle/domain';
import type { EventData, RecordedEvent } from '@chronicle/event-store';
import { describe, expect, it } from 'vitest';
import { benchmark01Events, flowDeployed } from '../test-support/benchmark01.events.js';
import { domainEvolve as fold, foldExecutions, type StoredExecution } from './execution-fold.js';
import { foldFlows, latestPerFlow } from './flow-fold.js';

let nextPosition = 100n;
const recorded = (streamId: string, events: readonly EventData[], fromRevision = 0): RecordedEvent[] =>
  events.map((e, i) => ({ ...e, streamId, revision: BigInt(fromRevision + i), position: (nextPosition += 7n), recordedAt: '2025-01-01T13:00:00.000Z' }));

describe('foldExecutions', () => {
  it('folds new executions and lists every task run as changed', () => {
    const { executions, poison } = foldExecutions(recorded('execution-a', benchmark01Events('a')), new Map(), fold);
    expect(poison).toEqual([]);
    expect(executions).toHaveLength(1);
    const [a] = executions;
    expect(a).toMatchObject({ id: 'a', revision: 8 });
    expect(a.doc.state).toBe('SUCCESS');
    expect(a.changedTaskRuns.map((t) => [t.taskRun.id, t.seq])).toEqual([['a-concatenate', 0], ['a-hello', 1]]);
    expect(a.events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('continues from the stored doc, skips replayed revisions and reports only task runs that changed', () => {
    const events = recorded('execution-a', benchmark01Events('a'));
    const first = foldExecutions(events.slice(0, 6), new Map(), fold).executions[0];
    const stored = new Map<string, StoredExecution>([['a', { doc: JSON.parse(JSON.stringify(first.doc)) as Execution, revision: first.revision }]]);
    const { executions } = foldExecutions(events.slice(3), stored, fold);
    const [a] = executions;
    expect(a.events.map((e) => e.revision)).toEqual([6, 7, 8]);
    expect(a.changedTaskRuns.map((t) => t.taskRun.id)).toEqual(['a-hello']);
    expect(a.firstPosition).toBe(events[6].position);
    expect(a.position).toBe(events[8].position);
  });

  it('writes nothing for a batch of replays only', () => {
    const events = recorded('execution-a', benchmark01Events('a'));
    const all = foldExecutions(events, new Map(), fold).executions[0];
    expect(foldExecutions(events, new Map([['a', { doc: all.doc, revision: 8 }]]), fold).executions).toEqual([]);
  });

  it('records an event evolve throws on and keeps folding the rest', () => {
    const events = recorded('execution-a', benchmark01Events('a', { count: 3 }));
    const broken = { ...events[2], revision: 3n, position: events[2].position + 1n, data: { taskRunId: 'nope', attempt: 1, at: 'x' }, type: 'TaskRunStarted' };
    const { executions, poison } = foldExecutions([...events, broken], new Map(), fold);
    expect(poison.map((p) => p.event.revision)).toEqual([3n]);
    expect(executions[0]).toMatchObject({ revision: 3 });
    expect(executions[0].doc.revision).toBe(3);
    expect(executions[0].doc.taskRuns).toHaveLength(1);
  });

  it('orders executions by their first event in the batch and ignores other streams', () => {
    const b = recorded('execution-b', benchmark01Events('b', { count: 1 }));
    const a = recorded('execution-a', benchmark01Events('a', { count: 1 }));
    const other = recorded('schedule-s', benchmark01Events('s', { count: 1 }));
    const { executions } = foldExecutions([...b, ...other, ...a], new Map(), fold);
    expect(executions.map((e) => e.id)).toEqual(['b', 'a']);
  });
});

describe('foldFlows', () => {
  it('keeps deployed revisions, flags malformed ones and ignores other flow events', () => {
    const events = recorded('flow-benchmarks.benchmark01', [
      flowDeployed(1), flowDeployed(2),
      { ...flowDeployed(3), data: { namespace: 'benchmarks' } },
      { ...flowDeployed(4), type: 'FlowDisabled' },
    ]);
    const { revisions, poison } = foldFlows(events);
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(poison).toHaveLength(1);
    expect(latestPerFlow(revisions).map((r) => r.revision)).toEqual([2]);
  });
});
