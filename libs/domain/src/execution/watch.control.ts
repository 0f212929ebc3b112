import type { ExpressionContext } from '../expression/expression-context.js';
import { renderTemplate } from '../expression/template.renderer.js';
import type { TaskDefinition } from '../flow/flow.model.js';
import type { Decision } from './decision.js';
import type { WatchedExecutionEnded, WatchExecution } from './execution.commands.js';
import { attempt } from './rendering.js';
import { isTerminal, type State } from './state.js';
import { taskOf } from './task-tree.js';

/**
 * "Wait for this other execution" (Cloudomation's `execution.wait()`), as a push, not a poll:
 * the `WaitForExecution` task asks the target to tell it when it ends (ExecutionWatchRequested ->
 * WatchExecution on the target's stream), the target keeps its watchers and, when it ends (or at
 * once if it already has), records ExecutionEndNotified -> WatchedExecutionEnded to the watcher.
 * The task succeeds when the end state is one of its `states` (default: SUCCESS), else fails.
 */

/** Starts a WaitForExecution task run: renders `executionId` and asks the target to be watched. */
export const startWaitForExecution = (d: Decision, taskRunId: string, task: TaskDefinition, context: ExpressionContext): void => {
  const rendered = attempt(`task ${task.id}, property "executionId"`, () => renderTemplate(String(task.properties.executionId ?? ''), context).trim());
  const fail = (error: string) => d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'FAILED', error, at: d.now } });
  if ('error' in rendered) return fail(rendered.error);
  if (rendered.value === '') return fail(`task ${task.id}: executionId rendered empty`);
  if (rendered.value === d.execution.id) return fail(`task ${task.id}: an execution cannot wait for itself`);
  d.emit(
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', at: d.now } },
    { type: 'ExecutionWatchRequested', data: { taskRunId, targetExecutionId: rendered.value, namespace: d.execution.namespace, at: d.now } },
  );
};

/**
 * The target's side. A watcher from a namespace that may not see this one (neither the same nor a
 * parent namespace) is refused; an ended execution answers at once; otherwise the watcher is kept.
 */
export const watch = (d: Decision, command: WatchExecution): void => {
  const { watcher } = command;
  const { namespace } = d.execution;
  if (d.execution.watchers?.some((w) => w.executionId === watcher.executionId && w.taskRunId === watcher.taskRunId)) return;
  const notify = { executionId: watcher.executionId, taskRunId: watcher.taskRunId };
  if (namespace !== watcher.namespace && !namespace.startsWith(`${watcher.namespace}.`)) {
    d.emit({ type: 'ExecutionEndNotified', data: { watcher: notify, state: d.execution.state, error: `execution ${d.execution.id} is in namespace ${namespace}, which a flow of ${watcher.namespace} may not watch`, at: d.now } });
    return;
  }
  d.emit({ type: 'ExecutionWatched', data: { watcher, at: d.now } });
  if (isTerminal(d.execution.state)) d.emit({ type: 'ExecutionEndNotified', data: { watcher: notify, state: d.execution.state, at: d.now } });
};

/** After any decision: an execution that has just ended tells each of its watchers. */
export const notifyWatchers = (d: Decision, before: State): void => {
  if (isTerminal(before) || !isTerminal(d.execution.state)) return;
  for (const w of d.execution.watchers ?? []) {
    d.emit({ type: 'ExecutionEndNotified', data: { watcher: { executionId: w.executionId, taskRunId: w.taskRunId }, state: d.execution.state, at: d.now } });
  }
};

/** The watcher's side: the waiting task run ends SUCCESS (a wanted state) or FAILED. */
export const watchedEnded = (d: Decision, command: WatchedExecutionEnded): boolean => {
  const run = d.execution.taskRuns.find((t) => t.id === command.taskRunId);
  if (run === undefined || run.state !== 'RUNNING') return false;
  const task = taskOf(d.flow, run.taskId);
  if (task?.type !== 'WaitForExecution') return false;
  const wanted = wantedStates(task);
  const outputs = { executionId: command.watchedExecutionId, state: command.state };
  const error = command.error
    ?? (wanted.includes(command.state) ? undefined : `execution ${command.watchedExecutionId} ended ${command.state}, not ${wanted.join(' or ')}`);
  d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: error === undefined ? 'SUCCESS' : 'FAILED', outputs, ...(error !== undefined ? { error } : {}), at: d.now } });
  return true;
};

const wantedStates = (task: TaskDefinition): readonly string[] => {
  const states = task.properties.states;
  return Array.isArray(states) && states.length > 0 ? states.map(String) : ['SUCCESS'];
};
