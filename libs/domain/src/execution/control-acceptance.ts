import { isTerminal, type State } from './state.js';

/** What the rule reads of an execution: its state and its task runs' states. */
export interface ControlledExecution {
  readonly id: string;
  readonly state: State;
  readonly taskRuns: readonly { readonly state: State }[];
  /** Points it can be rewound to (REWIND is offered only when there is one). */
  readonly savepoints?: readonly unknown[];
}

/**
 * Which control command an execution accepts in which state: the one copy of the rule. The API
 * checks commands with it before sending them, lists an execution's `availableActions` from it,
 * and the live monitor shows exactly those. (The decider still has the last word on the executor.)
 */
export type ControlCommandName = 'KillExecution' | 'PauseExecution' | 'ResumeExecution' | 'RestartExecution' | 'RewindExecution';

/** What a client may do with an execution, as the API lists it. */
export const EXECUTION_ACTIONS = ['KILL', 'PAUSE', 'RESUME', 'RESTART', 'REPLAY', 'REWIND'] as const;
export type ExecutionAction = (typeof EXECUTION_ACTIONS)[number];

/** The states from which a restart re-runs something (a failed or killed task run somewhere). */
export const RESTARTABLE_STATES: readonly State[] = ['FAILED', 'KILLED', 'WARNING'];

/**
 * The states a rewind (back to a savepoint, then RUNNING) may leave: a running or paused
 * execution, or one that ended by itself. Not CREATED/QUEUED (nothing ran yet), nor while it is
 * being killed, restarted or retried, nor RETRIED (a new execution took over).
 */
export const REWINDABLE_STATES: readonly State[] = ['RUNNING', 'PAUSED', 'SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'];

const RULES: Record<ControlCommandName, { act: readonly State[]; noop: readonly State[]; what: string }> = {
  KillExecution: {
    act: ['CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'RESTARTED', 'RETRYING'],
    noop: ['KILLING', 'KILLED'],
    what: 'only a created, queued, running or paused execution can be killed',
  },
  PauseExecution: { act: ['RUNNING'], noop: ['PAUSED'], what: 'only a running execution can be paused' },
  ResumeExecution: { act: ['PAUSED', 'RUNNING'], noop: [], what: 'only a paused execution can be resumed' },
  RestartExecution: { act: RESTARTABLE_STATES, noop: ['RESTARTED'], what: 'No task found to restart: only a failed, killed or warning execution can be restarted' },
  RewindExecution: { act: REWINDABLE_STATES, noop: [], what: 'only a running, paused or ended execution can be rewound' },
};

/** `act`: the command changes something; `noop`: already done (answered as is); `rejected`: why not. */
export type Acceptance = { readonly kind: 'act' } | { readonly kind: 'noop' } | { readonly kind: 'rejected'; readonly reason: string };

const hasPausedTask = (execution: ControlledExecution) => execution.taskRuns.some((t) => t.state === 'PAUSED');

export function acceptance(execution: ControlledExecution, command: ControlCommandName): Acceptance {
  const rule = RULES[command];
  if (rule.noop.includes(execution.state)) return { kind: 'noop' };
  // A running execution is resumable only while one of its tasks (a Pause) is paused.
  const resumable = command !== 'ResumeExecution' || execution.state !== 'RUNNING' || hasPausedTask(execution);
  // A rewind needs a point to go back to.
  const rewindable = command !== 'RewindExecution' || (execution.savepoints?.length ?? 0) > 0;
  if (rule.act.includes(execution.state) && resumable && rewindable) return { kind: 'act' };
  if (rule.act.includes(execution.state) && !rewindable) return { kind: 'rejected', reason: `execution ${execution.id} has no savepoint to rewind to (the flow's savepointRetention keeps them)` };
  return { kind: 'rejected', reason: `execution ${execution.id} is ${execution.state}: ${rule.what}` };
}

/** Replay starts a new execution from an ended one; a live one is killed or restarted instead. */
export function replayRefusal(execution: ControlledExecution): string | undefined {
  return isTerminal(execution.state) ? undefined : `execution ${execution.id} is ${execution.state}: only an ended execution can be replayed`;
}

const ACTION_OF: Record<ControlCommandName, ExecutionAction> = {
  KillExecution: 'KILL', PauseExecution: 'PAUSE', ResumeExecution: 'RESUME', RestartExecution: 'RESTART', RewindExecution: 'REWIND',
};

/** The actions that would change something now (a no-op is not offered). */
export function availableActions(execution: ControlledExecution): ExecutionAction[] {
  const actions = (Object.keys(RULES) as ControlCommandName[])
    .filter((command) => acceptance(execution, command).kind === 'act')
    .map((command) => ACTION_OF[command]);
  if (replayRefusal(execution) === undefined) actions.push('REPLAY');
  // In EXECUTION_ACTIONS' order, whatever order the rules are checked in.
  return actions.sort((a, b) => EXECUTION_ACTIONS.indexOf(a) - EXECUTION_ACTIONS.indexOf(b));
}
