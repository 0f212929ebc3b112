/** Execution and task-run states: Kestra's set. Transitions are checked by ./transitions.ts. */
export const STATES = [
  'CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'SUCCESS', 'WARNING', 'FAILED',
  'KILLING', 'KILLED', 'RESTARTED', 'CANCELLED', 'RETRYING', 'RETRIED', 'SKIPPED',
] as const;
export type State = (typeof STATES)[number];

export const TERMINAL_STATES: ReadonlySet<State> = new Set<State>(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'SKIPPED']);
export const isTerminal = (state: State): boolean => TERMINAL_STATES.has(state);
