import { pendingBreakpoint, type Acceptance, type Execution } from '@chronicle/domain';

/** Continue / step / skip answer a breakpoint: only an execution paused at one accepts them. */
export const breakpointAcceptance = (execution: Execution): Acceptance =>
  execution.state === 'PAUSED' && pendingBreakpoint(execution) !== undefined
    ? { kind: 'act' }
    : { kind: 'rejected', reason: `execution ${execution.id} is ${execution.state}: only an execution paused at a breakpoint can continue, step or skip` };
