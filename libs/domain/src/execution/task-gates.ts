import type { TaskDefinition } from '../flow/flow.model.js';
import { dispatchAttempt } from './attempts.js';
import { needsBreakpoint, reachBreakpoint } from './breakpoints/breakpoint.control.js';
import type { Decision } from './decision.js';
import type { TaskRunCreated } from './execution.events.js';
import { claimOf, taskMayTakeLocks } from './locks/named-locks.control.js';
import { hasAttempts, taskOf } from './task-tree.js';
import { armTaskTimeout } from './task-timeout.arm.js';

/**
 * Gates a task run passes between its creation and its first step: a breakpoint (the execution
 * pauses before it), then its named locks (it waits until it holds them). A gated task run is
 * created without a job and stays CREATED; `openGates` is called again whenever a gate may have
 * opened, and begins it once all are open.
 */

/** What begins a created task run (the flowable start of task-run.start.ts), passed in to keep imports one-way. */
export type FlowableStart = (d: Decision, taskRunId: string, task: TaskDefinition) => void;

/** True when the task run was created gated (the caller must not start it). */
export const createGated = (d: Decision, task: TaskDefinition, created: TaskRunCreated['data'], startFlowable: FlowableStart): boolean => {
  if (!needsBreakpoint(d, task) && (task.locks === undefined || task.locks.length === 0)) return false;
  d.emit({ type: 'TaskRunCreated', data: created });
  openGates(d, created.taskRunId, task, startFlowable);
  return true;
};

/** Checks the gates of a CREATED task run in order, and begins it when none holds it. */
export const openGates = (d: Decision, taskRunId: string, task: TaskDefinition, startFlowable: FlowableStart): void => {
  const run = d.taskRun(taskRunId);
  if (run.state !== 'CREATED' || d.execution.state !== 'RUNNING' || run.breakpoint !== undefined) return;
  if (run.breakpointPassed !== true && needsBreakpoint(d, task)) {
    reachBreakpoint(d, run, task);
    return;
  }
  if (!taskMayTakeLocks(d, run, task)) return;
  if (hasAttempts(d.taskTypes, task)) {
    dispatchAttempt(d, taskRunId, task, 1);
    return;
  }
  startFlowable(d, taskRunId, task);
  if (d.taskRun(taskRunId).state === 'RUNNING') armTaskTimeout(d, taskRunId, task);
};

/** Task runs whose locks were granted while the execution could not begin them (paused): begun now. */
export const beginGranted = (d: Decision, startFlowable: FlowableStart): void => {
  if (d.execution.state !== 'RUNNING') return;
  for (const claim of d.execution.lockClaims ?? []) {
    if (claim.taskRunId === undefined || claim.state !== 'HELD') continue;
    const run = d.taskRun(claim.taskRunId);
    const task = taskOf(d.flow, run.taskId);
    if (run.state === 'CREATED' && task !== undefined && claimOf(d.execution, run.id)?.state === 'HELD') openGates(d, run.id, task, startFlowable);
  }
};
