import type { TaskDefinition } from '../flow/flow.model.js';
import { PAUSE_BEHAVIORS, type PauseBehavior } from '../task-types/flow.task-types.js';
import type { Decision } from './decision.js';
import type { TaskRun } from './execution.state.js';
import { expressionContextOf } from './expression-scope.js';
import { cancelTimersOf, resumeIfNoPause } from './pause.control.js';
import { renderText } from './rendering.js';
import { isTerminal } from './state.js';
import { ancestorsOf, enabled } from './task-tree.js';
import { scopeOf } from './task-run.scope.js';

/**
 * A PAUSED Pause that did not end by itself: its `timeout` fired, or its `pauseDuration` elapsed
 * with `behavior: FAIL` (or a behavior that does not render). It fails as any task does: when it
 * has `errors`, `finally` or `allowFailure`, it runs again only to fail through them
 * (flowable.progress.ts reads the error); a PAUSED task run otherwise fails directly.
 */
export const failPausedPause = (d: Decision, run: TaskRun, task: TaskDefinition, error: string): void => {
  cancelTimersOf(d, run.id);
  const handled = task.allowFailure === true || enabled(task.lists?.errors).length + enabled(task.lists?.finally).length > 0;
  d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: handled ? 'RUNNING' : 'FAILED', error, at: d.now } });
  resumeIfNoPause(d);
};

/**
 * Kestra's Pause `behavior` (Kestra >= 0.22, PauseTest#runDurationWith*Behavior; rendered when the
 * `pauseDuration` elapses): RESUME (the default) goes on; WARN ends the Pause WARNING and goes on;
 * FAIL fails it; CANCEL ends it and the execution CANCELLED.
 */
export const pauseDurationElapsed = (d: Decision, run: TaskRun, task: TaskDefinition): void => {
  const behavior = behaviorOf(d, run, task);
  if ('error' in behavior) return failPausedPause(d, run, task, behavior.error);
  switch (behavior.value) {
    case 'RESUME':
    case 'WARN':
      cancelTimersOf(d, run.id);
      d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'RUNNING', at: d.now } });
      if (behavior.value === 'WARN') d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'WARNING', at: d.now } });
      resumeIfNoPause(d);
      return;
    case 'FAIL':
      return failPausedPause(d, run, task, `task ${task.id}: its pauseDuration elapsed (behavior FAIL)`);
    case 'CANCEL':
      return cancelExecution(d, run, task);
  }
};

const behaviorOf = (d: Decision, run: TaskRun, task: TaskDefinition): { value: PauseBehavior } | { error: string } => {
  const raw = task.properties.behavior;
  if (raw === undefined || raw === null) return { value: 'RESUME' };
  const context = expressionContextOf(d.execution, { flow: d.flow, now: d.now, installation: d.installation, taskRun: scopeOf(run, task) });
  const rendered = renderText(task.id, 'behavior', raw, context);
  if ('error' in rendered) return rendered;
  const value = rendered.value.trim().toUpperCase();
  return (PAUSE_BEHAVIORS as readonly string[]).includes(value)
    ? { value: value as PauseBehavior }
    : { error: `task ${task.id}, property "behavior": "${rendered.value}" is not one of ${PAUSE_BEHAVIORS.join(', ')}` };
};

/** CANCEL: the Pause and its parents end CANCELLED, and the execution with them (as an Exit with CANCELED). */
const cancelExecution = (d: Decision, run: TaskRun, task: TaskDefinition): void => {
  const reason = `task ${task.id}: its pauseDuration elapsed (behavior CANCEL)`;
  for (const r of [run, ...ancestorsOf(d.execution, run)]) {
    if (!isTerminal(d.taskRun(r.id).state)) d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: r.id, state: 'CANCELLED', at: d.now } });
  }
  for (const timer of d.execution.timers) d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
  d.emit({ type: 'ExecutionStateChanged', data: { state: 'CANCELLED', reason, at: d.now } });
};
