import type { BreakpointAction } from './breakpoint.events.js';

/**
 * The operator's answer to the breakpoint the execution is paused at: CONTINUE, STEP or SKIP
 * (abort is KillExecution). Idempotent: without a pending breakpoint it decides nothing.
 */
export interface ResolveBreakpoint {
  readonly type: 'ResolveBreakpoint';
  readonly executionId: string;
  readonly action: BreakpointAction;
  /** The task run it answers; absent: the one the execution is paused at. */
  readonly taskRunId?: string;
  readonly now: string;
}
