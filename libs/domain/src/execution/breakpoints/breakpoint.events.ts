import type { JsonObject } from '../../shared/json.js';

/**
 * Events of breakpoints and step mode (Cloudomation's `breakpoints` / `use_breakpoints`): the
 * execution pauses BEFORE a task run starts, showing what it would run with.
 */

/**
 * The task run was created and stopped before its first step; the execution is PAUSED with it.
 * `properties` are the task's properties rendered now (or `error` when they cannot be).
 */
export interface TaskRunBreakpointReached {
  readonly type: 'TaskRunBreakpointReached';
  readonly data: { readonly taskRunId: string; readonly taskId: string; readonly properties?: JsonObject; readonly error?: string; readonly at: string };
}

export const BREAKPOINT_ACTIONS = ['CONTINUE', 'STEP', 'SKIP'] as const;
export type BreakpointAction = (typeof BREAKPOINT_ACTIONS)[number];

/**
 * The operator answered the breakpoint: CONTINUE runs on to the next breakpoint (step mode off),
 * STEP runs this task and pauses before the next one (step mode on), SKIP ends it SKIPPED.
 */
export interface BreakpointResolved {
  readonly type: 'BreakpointResolved';
  readonly data: { readonly taskRunId: string; readonly action: BreakpointAction; readonly by?: string; readonly at: string };
}

export type BreakpointEvent = TaskRunBreakpointReached | BreakpointResolved;
