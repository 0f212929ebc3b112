import type { State } from '../api/types.js';

/** One colour per state, used everywhere (badges, Gantt bars, timeline): Mantine palette names. */
export const STATE_COLORS: Record<State, string> = {
  CREATED: 'gray',
  QUEUED: 'gray',
  RUNNING: 'blue',
  PAUSED: 'yellow',
  SUCCESS: 'green',
  WARNING: 'orange',
  FAILED: 'red',
  KILLING: 'pink',
  KILLED: 'grape',
  RESTARTED: 'cyan',
  CANCELLED: 'dark',
  RETRYING: 'indigo',
  RETRIED: 'violet',
  SKIPPED: 'gray',
};

export const stateColor = (state: string): string => STATE_COLORS[state as State] ?? 'gray';
/** The CSS variable of a state's colour, for plain elements (Gantt bars). */
export const stateCssColor = (state: string): string => `var(--mantine-color-${stateColor(state)}-filled)`;
