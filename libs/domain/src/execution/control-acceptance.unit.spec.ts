import { describe, expect, it } from 'vitest';
import { acceptance, availableActions, replayRefusal, type ControlledExecution } from './control-acceptance.js';
import type { State } from './state.js';

const execution = (state: State, taskStates: State[] = []): ControlledExecution => ({
  id: 'e1', state, taskRuns: taskStates.map((s) => ({ state: s })),
});

describe('control acceptance: the one copy of "which command in which state"', () => {
  it('lists what each state accepts, no-ops left out', () => {
    expect(availableActions(execution('CREATED'))).toEqual(['KILL']);
    expect(availableActions(execution('RUNNING', ['RUNNING']))).toEqual(['KILL', 'PAUSE']);
    expect(availableActions(execution('RUNNING', ['PAUSED']))).toEqual(['KILL', 'PAUSE', 'RESUME']);
    expect(availableActions(execution('PAUSED'))).toEqual(['KILL', 'RESUME']);
    expect(availableActions(execution('FAILED'))).toEqual(['RESTART', 'REPLAY']);
    expect(availableActions(execution('KILLED'))).toEqual(['RESTART', 'REPLAY']);
    expect(availableActions(execution('SUCCESS'))).toEqual(['REPLAY']);
    expect(availableActions(execution('KILLING'))).toEqual([]);
  });

  it('offers restart for a WARNING execution, which the API accepts (the live monitor used to hide it)', () => {
    expect(availableActions(execution('WARNING'))).toContain('RESTART');
    expect(acceptance(execution('WARNING'), 'RestartExecution')).toEqual({ kind: 'act' });
  });

  it('answers a command already done as a no-op and refuses the rest with the reason', () => {
    expect(acceptance(execution('KILLED'), 'KillExecution')).toEqual({ kind: 'noop' });
    expect(acceptance(execution('PAUSED'), 'PauseExecution')).toEqual({ kind: 'noop' });
    expect(acceptance(execution('SUCCESS'), 'PauseExecution')).toEqual({
      kind: 'rejected', reason: 'execution e1 is SUCCESS: only a running execution can be paused',
    });
    expect(acceptance(execution('RUNNING', ['RUNNING']), 'ResumeExecution')).toEqual({
      kind: 'rejected', reason: 'execution e1 is RUNNING: only a paused execution can be resumed',
    });
  });

  it('replays only an ended execution', () => {
    expect(replayRefusal(execution('RUNNING'))).toBe('execution e1 is RUNNING: only an ended execution can be replayed');
    expect(replayRefusal(execution('FAILED'))).toBeUndefined();
  });
});
