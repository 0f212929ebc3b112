import type { ExecutionEvent } from './execution.events.js';
import { evolve, initialState } from './execution.evolver.js';
import type { ExecutionState } from './execution.state.js';

/** The state after folding `events` from scratch (read a stream, then fold it). */
export const foldExecution = (events: Iterable<ExecutionEvent>, from: ExecutionState = initialState()): ExecutionState => {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
};
