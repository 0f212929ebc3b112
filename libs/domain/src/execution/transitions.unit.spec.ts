import { describe, expect, it } from 'vitest';
import { isTerminal, STATES, TERMINAL_STATES } from './state.js';
import { assertTransition, canTransition, IllegalTransitionError, TRANSITIONS } from './transitions.js';

describe('transition table', () => {
  it('has exactly one entry per state, naming only known states', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STATES].sort());
    for (const targets of Object.values(TRANSITIONS)) for (const target of targets) expect(STATES).toContain(target);
  });

  it('lets nothing leave SUCCESS, CANCELLED and RETRIED, and every non-terminal state go somewhere', () => {
    for (const state of ['SUCCESS', 'CANCELLED', 'RETRIED'] as const) expect(TRANSITIONS[state]).toEqual([]);
    for (const state of STATES.filter((s) => !TERMINAL_STATES.has(s))) expect(TRANSITIONS[state].length).toBeGreaterThan(0);
    expect(isTerminal('FAILED')).toBe(true);
    expect(isTerminal('RUNNING')).toBe(false);
  });

  it('follows Kestra for the main paths', () => {
    expect(canTransition('CREATED', 'RUNNING')).toBe(true);
    expect(canTransition('RUNNING', 'SUCCESS')).toBe(true);
    expect(canTransition('RUNNING', 'KILLING')).toBe(true);
    expect(canTransition('KILLING', 'KILLED')).toBe(true);
    expect(canTransition('FAILED', 'RESTARTED')).toBe(true);
    expect(canTransition('RESTARTED', 'RUNNING')).toBe(true);
    expect(canTransition('SUCCESS', 'RUNNING')).toBe(false);
    expect(canTransition('CREATED', 'SUCCESS')).toBe(false);
  });

  it('throws a typed error naming what, from and to', () => {
    expect(assertTransition('execution e1', 'CREATED', 'RUNNING')).toBe('RUNNING');
    const attempt = () => assertTransition('task run e1.0', 'SUCCESS', 'RUNNING');
    expect(attempt).toThrow(IllegalTransitionError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION', subject: 'task run e1.0', from: 'SUCCESS', to: 'RUNNING' });
      expect((error as Error).message).toBe('illegal transition of task run e1.0: SUCCESS -> RUNNING (allowed from SUCCESS: none)');
    }
  });
});
