import type { Execution } from '../execution.state.js';
import { updateTaskRun } from '../task-run.evolver.js';
import type { BreakpointEvent } from './breakpoint.events.js';

/** Folds the breakpoint events: the hold on the task run, and the step mode an answer sets. */
export const evolveBreakpoint = (execution: Execution, event: BreakpointEvent): Execution => {
  switch (event.type) {
    case 'TaskRunBreakpointReached': {
      const { properties, error, at } = event.data;
      const hold = { since: at, ...(properties !== undefined ? { properties } : {}), ...(error !== undefined ? { error } : {}) };
      return updateTaskRun(execution, event.data.taskRunId, event.type, (t) => ({ ...t, breakpoint: hold }));
    }
    case 'BreakpointResolved': {
      const answered = updateTaskRun(execution, event.data.taskRunId, event.type, (t) => {
        const { breakpoint: _answered, ...rest } = t;
        return { ...rest, breakpointPassed: true as const };
      });
      const { action } = event.data;
      return action === 'SKIP' ? answered : { ...answered, stepping: action === 'STEP' };
    }
  }
};
