import type { FlowDefinition } from '../../flow/flow.model.js';
import { DomainError } from '../../shared/domain-error.js';
import { taskOf, taskIndex } from '../task-tree.js';
import type { ExecutionOptions } from '../run-options.js';

/** At most this many breakpoints per run (a flow has fewer tasks than that in practice). */
export const MAX_BREAKPOINTS = 200;

/** A breakpoint option that cannot be: names the field (`breakpoints[1]`, `stepMode`). Maps to BAD_USER_INPUT. */
export class BreakpointOptionError extends DomainError {
  readonly code = 'EXECUTION.BREAKPOINT.INVALID';
  readonly issues: readonly { readonly path: readonly string[]; readonly message: string }[];

  constructor(readonly field: string, problem: string) {
    super(`${field} ${problem}`);
    this.issues = [{ path: [field], message: problem }];
  }
}

/** The shape of `breakpoints` and `stepMode` (without the flow): a list of distinct task ids, a boolean. */
export const checkBreakpointOptions = (options: ExecutionOptions): Partial<ExecutionOptions> => {
  const checked: { breakpoints?: string[]; stepMode?: boolean } = {};
  const { breakpoints, stepMode } = options as { breakpoints?: unknown; stepMode?: unknown };
  if (breakpoints !== undefined && breakpoints !== null) {
    if (!Array.isArray(breakpoints)) throw new BreakpointOptionError('breakpoints', `must be a list of task ids, got ${JSON.stringify(breakpoints)}`);
    if (breakpoints.length > MAX_BREAKPOINTS) throw new BreakpointOptionError('breakpoints', `must list at most ${MAX_BREAKPOINTS} task ids, got ${breakpoints.length}`);
    breakpoints.forEach((id, index) => {
      if (typeof id !== 'string' || id === '') throw new BreakpointOptionError(`breakpoints[${index}]`, `must be a task id, got ${JSON.stringify(id)}`);
    });
    if (breakpoints.length > 0) checked.breakpoints = [...new Set(breakpoints as string[])];
  }
  if (stepMode !== undefined && stepMode !== null) {
    if (typeof stepMode !== 'boolean') throw new BreakpointOptionError('stepMode', `must be true or false, got ${JSON.stringify(stepMode)}`);
    if (stepMode) checked.stepMode = true;
  }
  return checked;
};

/** Every breakpoint names a task of the flow that runs (refused at start otherwise: nothing is created). */
export const checkBreakpointsExist = (options: ExecutionOptions | undefined, flow: FlowDefinition): void => {
  (options?.breakpoints ?? []).forEach((id, index) => {
    if (taskOf(flow, id) !== undefined) return;
    const known = [...taskIndex(flow).keys()].slice(0, 20).join(', ');
    throw new BreakpointOptionError(`breakpoints[${index}]`, `names no task of flow ${flow.namespace}.${flow.id}: "${id}" (its tasks: ${known})`);
  });
};
