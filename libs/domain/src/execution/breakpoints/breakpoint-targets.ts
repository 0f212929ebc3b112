import type { FlowDefinition } from '../../flow/flow.model.js';
import { taskIndex, taskOf } from '../task-tree.js';
import type { ExecutionOptions } from '../run-options.js';
import { BreakpointOptionError } from './breakpoint-option.error.js';

/** Every breakpoint names a task of the flow that runs (refused at start otherwise: nothing is created). */
export const checkBreakpointsExist = (options: ExecutionOptions | undefined, flow: FlowDefinition): void => {
  (options?.breakpoints ?? []).forEach((id, index) => {
    if (taskOf(flow, id) !== undefined) return;
    const known = [...taskIndex(flow).keys()].slice(0, 20).join(', ');
    throw new BreakpointOptionError(`breakpoints[${index}]`, `names no task of flow ${flow.namespace}.${flow.id}: "${id}" (its tasks: ${known})`);
  });
};
