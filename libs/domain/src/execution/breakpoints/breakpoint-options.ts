import { BreakpointOptionError } from './breakpoint-option.error.js';

export { BreakpointOptionError } from './breakpoint-option.error.js';

/** At most this many breakpoints per run (a flow has fewer tasks than that in practice). */
export const MAX_BREAKPOINTS = 200;

/** The shape of `breakpoints` and `stepMode` (without the flow): a list of distinct task ids, a boolean. */
export const checkBreakpointOptions = (options: { readonly breakpoints?: unknown; readonly stepMode?: unknown }): { breakpoints?: string[]; stepMode?: boolean } => {
  const checked: { breakpoints?: string[]; stepMode?: boolean } = {};
  const { breakpoints, stepMode } = options;
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

