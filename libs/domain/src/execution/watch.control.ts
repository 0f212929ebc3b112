import type { ExpressionContext } from '../expression/expression-context.js';
import { renderTemplate } from '../expression/template.renderer.js';
import type { TaskDefinition } from '../flow/flow.model.js';
import type { Decision } from './decision.js';
import { noExecutionToWatch } from './execution.errors.js';
import type { ResolveWatchTarget, WatchedExecutionEnded, WatchExecution } from './execution.commands.js';
import type { ExecutionWatcher } from './execution.events.js';
import { attempt } from './rendering.js';
import { isTerminal, type State } from './state.js';
import { cancelTaskTimeout } from './task-timeout.arm.js';
import { taskOf } from './task-tree.js';

/**
 * "Wait for this other execution" (Cloudomation's `execution.wait()`/`wait_status`), as a push, not
 * a poll: the `WaitForExecution` task asks its target to tell it when it enters one of the task's
 * `states` or ends (ExecutionWatchRequested -> WatchExecution on the target's stream); the target
 * keeps the watcher and, when that happens (or at once if it already has), records
 * ExecutionEndNotified -> WatchedExecutionEnded to the watcher, and drops the watcher. A target
 * chosen by `labels` is first looked up by the executor in the read model (ResolveWatchTarget on
 * the waiter's own stream). Both sides live in event streams, so a restart of any service loses
 * nothing; the task's `timeout` is an ordinary durable task timeout. The task succeeds when the
 * state told is one of its `states` (default: SUCCESS), else fails.
 */

/**
 * Starts a WaitForExecution task run: renders `executionId` (or `labels`) and asks to watch the
 * target. Its outputs start empty (a re-run forgets the target of a former run), then hold the
 * target's id while it waits.
 */
export const startWaitForExecution = (d: Decision, taskRunId: string, task: TaskDefinition, context: ExpressionContext): void => {
  const fail = (error: string) => d.emit({ type: 'TaskRunStateChanged', data: { taskRunId, state: 'FAILED', error, at: d.now } });
  const asked = { taskRunId, namespace: d.execution.namespace, states: wantedStates(task), at: d.now };
  if (task.properties.labels !== undefined) {
    const labels = renderLabels(task, context);
    if ('error' in labels) return fail(labels.error);
    d.emit(
      { type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', outputs: {}, at: d.now } },
      { type: 'ExecutionWatchRequested', data: { ...asked, targetLabels: labels.value } },
    );
    return;
  }
  const rendered = attempt(`task ${task.id}, property "executionId"`, () => renderTemplate(String(task.properties.executionId ?? ''), context).trim());
  if ('error' in rendered) return fail(rendered.error);
  if (rendered.value === '') return fail(`task ${task.id}: executionId rendered empty`);
  if (rendered.value === d.execution.id) return fail(`task ${task.id}: an execution cannot wait for itself`);
  d.emit(
    { type: 'TaskRunStateChanged', data: { taskRunId, state: 'RUNNING', outputs: {}, at: d.now } },
    { type: 'ExecutionWatchRequested', data: { ...asked, targetExecutionId: rendered.value } },
  );
};

/** `labels: { key: value }`, each value rendered; an empty value would match nothing anyone meant. */
const renderLabels = (task: TaskDefinition, context: ExpressionContext): { value: Record<string, string> } | { error: string } => {
  const value: Record<string, string> = {};
  for (const [key, raw] of Object.entries(task.properties.labels as Record<string, unknown>)) {
    const rendered = attempt(`task ${task.id}, property "labels.${key}"`, () => renderTemplate(String(raw), context).trim());
    if ('error' in rendered) return rendered;
    if (rendered.value === '') return { error: `task ${task.id}, property "labels.${key}" rendered empty` };
    value[key] = rendered.value;
  }
  return { value };
};

/**
 * The waiter's side of a labels selection: the executor looked them up (`match`). Redelivered or
 * late (the task run no longer waits, or already has its target), it decides nothing.
 */
export const resolveWatchTarget = (d: Decision, command: ResolveWatchTarget): void => {
  const run = d.execution.taskRuns.find((t) => t.id === command.taskRunId);
  if (run === undefined || run.state !== 'RUNNING' || run.outputs?.executionId !== undefined) return;
  const task = taskOf(d.flow, run.taskId);
  if (task?.type !== 'WaitForExecution') return;
  const fail = (error: string) => d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'FAILED', error, at: d.now } });
  const shown = Object.entries(command.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  if (command.match === undefined) return fail(`task ${task.id}: selecting an execution by labels needs the read model, which this executor does not reach`);
  if (command.match === null) {
    return fail(`task ${task.id}: no execution of namespace ${d.execution.namespace} (or below it) has the labels ${shown}`);
  }
  d.emit({ type: 'ExecutionWatchRequested', data: { taskRunId: run.id, targetExecutionId: command.match, namespace: d.execution.namespace, states: wantedStates(task), at: d.now } });
};

/** Whether `watcher` is to be told that this execution entered `state`. */
const wants = (watcher: ExecutionWatcher, state: State): boolean => isTerminal(state) || (watcher.states ?? []).includes(state);

/**
 * The target's side. A watcher from a namespace that may not see this one (neither the same nor a
 * parent namespace) is refused; one whose state is already reached (or an ended target) is told at
 * once; otherwise the watcher is kept.
 */
export const watch = (d: Decision, command: WatchExecution): void => {
  const { watcher } = command;
  const { namespace } = d.execution;
  if (d.execution.watchers?.some((w) => w.executionId === watcher.executionId && w.taskRunId === watcher.taskRunId)) return;
  const notify = { executionId: watcher.executionId, taskRunId: watcher.taskRunId };
  if (namespace !== watcher.namespace && !namespace.startsWith(`${watcher.namespace}.`)) {
    // Told as an execution that does not exist is: neither its namespace nor its state leaves it.
    d.emit({ type: 'ExecutionEndNotified', data: { watcher: notify, state: 'FAILED', error: noExecutionToWatch(d.execution.id), at: d.now } });
    return;
  }
  if (wants(watcher, d.execution.state)) {
    d.emit({ type: 'ExecutionEndNotified', data: { watcher: notify, state: d.execution.state, at: d.now } });
    return;
  }
  d.emit({ type: 'ExecutionWatched', data: { watcher, at: d.now } });
};

/**
 * After any decision: each watcher waiting for a state this execution entered in it (even one it
 * only passed through, as RUNNING -> PAUSED -> RUNNING), or for its end, is told (the first such).
 */
export const notifyWatchers = (d: Decision): void => {
  if (d.statesEntered.length === 0) return;
  for (const w of [...(d.execution.watchers ?? [])]) {
    const state = d.statesEntered.find((s) => wants(w, s));
    if (state !== undefined) d.emit({ type: 'ExecutionEndNotified', data: { watcher: { executionId: w.executionId, taskRunId: w.taskRunId }, state, at: d.now } });
  }
};

/** The watcher's side: the waiting task run ends SUCCESS (a wanted state) or FAILED; its timeout is cancelled. */
export const watchedEnded = (d: Decision, command: WatchedExecutionEnded): boolean => {
  const run = d.execution.taskRuns.find((t) => t.id === command.taskRunId);
  if (run === undefined || run.state !== 'RUNNING') return false;
  // An answer from a target this run no longer waits for (it was re-run and chose another) is stale.
  if (run.outputs?.executionId !== undefined && run.outputs.executionId !== command.watchedExecutionId) return false;
  const task = taskOf(d.flow, run.taskId);
  if (task?.type !== 'WaitForExecution') return false;
  const wanted = wantedStates(task);
  const outputs = { executionId: command.watchedExecutionId, state: command.state };
  const error = command.error
    ?? (wanted.includes(command.state) ? undefined : `execution ${command.watchedExecutionId} ended ${command.state}, not ${wanted.join(' or ')}`);
  cancelTaskTimeout(d, run.id);
  d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: error === undefined ? 'SUCCESS' : 'FAILED', outputs, ...(error !== undefined ? { error } : {}), at: d.now } });
  return true;
};

const wantedStates = (task: TaskDefinition): State[] => {
  const states = task.properties.states;
  return Array.isArray(states) && states.length > 0 ? states.map((s) => String(s) as State) : ['SUCCESS'];
};
