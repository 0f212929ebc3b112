import type { TaskDefinition } from '../../flow/flow.model.js';
import type { Decision } from '../decision.js';
import type { Execution, TaskRun } from '../execution.state.js';
import { expressionContextOf } from '../expression-scope.js';
import { renderProperties } from '../rendering.js';
import { taskOf } from '../task-tree.js';
import { resumeIfNoPause } from '../pause.control.js';
import type { ResolveBreakpoint } from './breakpoint.commands.js';

/** Step mode as it is now: the operator's last answer, else the run option. */
export const stepping = (execution: Execution): boolean => execution.stepping ?? execution.options?.stepMode === true;

/** Does this task stop before it begins (an explicit breakpoint on its id, or step mode)? */
export const needsBreakpoint = (d: Decision, task: TaskDefinition): boolean =>
  stepping(d.execution) || (d.execution.options?.breakpoints?.includes(task.id) ?? false);

/**
 * The task run stops before its first step: its properties rendered as it would run with them
 * now (a loop value, earlier outputs), or the rendering error, and the execution PAUSED.
 */
export const reachBreakpoint = (d: Decision, run: TaskRun, task: TaskDefinition): void => {
  const context = expressionContextOf(d.execution, {
    flow: d.flow,
    now: d.now,
    installation: d.installation,
    taskRun: { id: run.id, taskId: task.id, taskType: task.typeName, ...(run.value !== undefined ? { value: run.value } : {}), ...(run.parentTaskRunId !== undefined ? { parentTaskRunId: run.parentTaskRunId } : {}), startDate: d.now },
  });
  const rendered = renderProperties(d.taskTypes, task.id, task.properties, context);
  d.emit({ type: 'TaskRunBreakpointReached', data: { taskRunId: run.id, taskId: task.id, ...('error' in rendered ? { error: rendered.error } : { properties: rendered.value }), at: d.now } });
  d.emit({ type: 'ExecutionStateChanged', data: { state: 'PAUSED', reason: `breakpoint before task ${task.id}`, at: d.now } });
};

/** The task run the execution is paused at, if any. */
export const pendingBreakpoint = (execution: Execution): TaskRun | undefined =>
  execution.taskRuns.find((t) => t.breakpoint !== undefined && t.state === 'CREATED');

/**
 * ResolveBreakpoint: CONTINUE / STEP let the task run begin (its other gates, locks, next), SKIP
 * ends it SKIPPED; the execution runs again (unless a Pause task still holds it). `open` begins
 * a task run whose gates may be open (task-gates.ts). Without a pending breakpoint: nothing.
 */
export const resolveBreakpoint = (d: Decision, command: Pick<ResolveBreakpoint, 'action' | 'taskRunId'>, open: (d: Decision, taskRunId: string, task: TaskDefinition) => void): boolean => {
  const run = command.taskRunId !== undefined ? d.execution.taskRuns.find((t) => t.id === command.taskRunId && t.breakpoint !== undefined && t.state === 'CREATED') : pendingBreakpoint(d.execution);
  if (run === undefined) return false;
  d.emit({ type: 'BreakpointResolved', data: { taskRunId: run.id, action: command.action, at: d.now } });
  if (command.action === 'SKIP') d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'SKIPPED', at: d.now } });
  if (pendingBreakpoint(d.execution) === undefined) resumeIfNoPause(d);
  const task = taskOf(d.flow, run.taskId);
  if (command.action !== 'SKIP' && task !== undefined) open(d, run.id, task);
  return true;
};
