import { TERMINAL_STATES, type ObservedExecution } from './chronicle-api.js';
import type { StepCheck } from './corpus-steps.js';
import type { AssertionFailure } from './expectations.js';
import { findTaskRun, valueAt } from './task-run-queries.js';
import { deepEqual } from './value-ops.js';

/** Checks an in-flight assertion of a step against the executions as they are now. */
export function checkStep(id: string, check: StepCheck, executions: ReadonlyMap<number, ObservedExecution>): AssertionFailure | undefined {
  const first = executions.get(1);
  const fail = (what: string, expected: unknown, actual: unknown): AssertionFailure => ({ id, what, expected, actual });
  switch (check.kind) {
    case 'state': {
      const exec = executions.get(check.exec);
      return exec?.state === check.state ? undefined : fail(`#${check.exec} state`, check.state, exec?.state ?? 'not started');
    }
    case 'notTerminal': {
      const exec = executions.get(check.exec);
      return exec && !TERMINAL_STATES.has(exec.state) ? undefined : fail(`#${check.exec} still running`, 'not ended', exec?.state ?? 'not started');
    }
    case 'taskRunCount':
      return first?.taskRuns.length === check.count ? undefined : fail('number of task runs', check.count, first?.taskRuns.map((t) => `${t.taskId}:${t.state}`));
    case 'taskRunAt': {
      const run = first?.taskRuns[check.index];
      return run?.taskId === check.taskId && run.state === check.state
        ? undefined
        : fail(`task run #${check.index}`, `${check.taskId} ${check.state}`, run ? `${run.taskId} ${run.state}` : 'none');
    }
    case 'historyCounts': {
      const run = first && findTaskRun(first, { taskId: check.taskId });
      const history = (run?.stateHistory ?? []).map((h) => h.state);
      const actual = Object.fromEntries(Object.keys(check.counts).map((s) => [s, history.filter((h) => h === s).length]));
      return deepEqual(actual, check.counts) ? undefined : fail(`${check.taskId} history counts (history ${history.join(' > ')})`, check.counts, actual);
    }
    case 'historyPrefix': {
      const history = (executions.get(check.exec)?.stateHistory ?? []).map((h) => h.state);
      return deepEqual(history.slice(0, check.states.length), check.states) ? undefined : fail(`#${check.exec} history starts with`, check.states, history);
    }
    case 'taskOutput': {
      const run = first && findTaskRun(first, { taskId: check.taskId });
      const actual = valueAt(run?.outputs ?? undefined, check.path);
      return actual === check.expected ? undefined : fail(`${check.taskId}.${check.path}`, check.expected, actual);
    }
  }
}
