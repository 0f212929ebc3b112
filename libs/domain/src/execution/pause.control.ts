import { parseInputDefinitions } from '../flow/input-definitions.parser.js';
import { resolveInputs } from '../flow/inputs.resolver.js';
import { InputValidationError } from '../flow/input-validation.error.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { Decision } from './decision.js';
import { noExecutionToResume } from './execution.errors.js';
import type { ResumeExecution } from './execution.commands.js';
import type { TaskRun } from './execution.state.js';
import { taskOf } from './task-tree.js';

/** PauseExecution: RUNNING -> PAUSED; running attempts go on, no new task run starts. */
export const pause = (d: Decision): void => {
  if (d.execution.state === 'RUNNING') d.emit({ type: 'ExecutionStateChanged', data: { state: 'PAUSED', reason: 'paused on request', at: d.now } });
};

/**
 * ResumeExecution: every PAUSED Pause task run goes on (approve: RUNNING, with its `onResume`
 * inputs as outputs) or fails (reject), its timers cancelled, and the execution runs again.
 */
export const resume = (d: Decision, command: ResumeExecution): void => {
  const before = d.execution.state;
  // A Resume task's request is answered either way: its task run fails when this was not PAUSED.
  if (command.requestedBy !== undefined) {
    const from = command.requestedBy.namespace;
    const { namespace } = d.execution;
    if (from !== undefined && namespace !== from && !namespace.startsWith(`${from}.`)) {
      // Answered as an execution that does not exist is: the request learns nothing of it.
      const error = noExecutionToResume(d.execution.id);
      d.emit({ type: 'ExecutionResumeAnswered', data: { requestedBy: command.requestedBy, resumed: false, state: before, error, at: d.now } });
      return;
    }
    d.emit({ type: 'ExecutionResumeAnswered', data: { requestedBy: command.requestedBy, resumed: before === 'PAUSED', state: before, at: d.now } });
  }
  if (before !== 'PAUSED') return;
  const approve = command.approve !== false;
  for (const run of d.execution.taskRuns.filter((t) => isPausedPause(d, t))) {
    cancelTimersOf(d, run.id);
    if (!approve) {
      d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'FAILED', error: 'the pause was rejected', at: d.now } });
      continue;
    }
    const declared = taskOf(d.flow, run.taskId)?.properties.onResume;
    // A client's resume is refused when its inputs do not fit (the API answers with the issues, as
    // Kestra's readExecutionInputs); a Resume task's goes on with what it sent.
    const strict = command.requestedBy === undefined;
    const outputs: JsonObject | undefined = declared !== undefined ? { onResume: onResumeInputs(d, declared, command.inputs ?? {}, strict) } : undefined;
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'RUNNING', ...(outputs !== undefined ? { outputs } : {}), at: d.now } });
  }
  d.emit({ type: 'ExecutionStateChanged', data: { state: 'RUNNING', reason: approve ? 'resumed' : 'resumed (rejected)', at: d.now } });
};

/** A Pause task run's timers (pauseDuration, timeout) that must not fire once it went on. */
export const cancelTimersOf = (d: Decision, taskRunId: string): void => {
  for (const timer of d.execution.timers.filter((t) => t.taskRunId === taskRunId)) {
    d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
  }
};

/** The execution runs again once no Pause task run holds it (a timer ended the last pause). */
export const resumeIfNoPause = (d: Decision): void => {
  if (d.execution.state === 'PAUSED' && !d.execution.taskRuns.some((t) => isPausedPause(d, t))) {
    d.emit({ type: 'ExecutionStateChanged', data: { state: 'RUNNING', reason: 'pause ended', at: d.now } });
  }
};

/** A Pause task run waiting to be resumed (a LoopUntil/WaitFor is PAUSED between iterations too, on its own timer). */
const isPausedPause = (d: Decision, run: TaskRun): boolean => run.state === 'PAUSED' && taskOf(d.flow, run.taskId)?.type === 'Pause';

/**
 * The Pause task's `onResume` inputs as Kestra's FlowInputOutput.readExecutionInputs gives them:
 * declared ones typed, defaults applied, an optional one not given is null (so
 * `{{ outputs.pause.onResume.data }}` renders empty rather than failing). `strict`: values that
 * do not fit their declaration (a missing required one, a wrong type, a broken rule) throw
 * InputValidationError naming each input; otherwise they stay as sent.
 */
const onResumeInputs = (d: Decision, declared: JsonValue, given: Readonly<Record<string, unknown>>, strict: boolean): JsonObject => {
  const issues: unknown[] = [];
  // The declaration was checked at deploy: one that does not parse (an older revision) leaves the values as sent.
  const inputs = parseInputDefinitions(declared, () => issues.push(1));
  if (issues.length > 0) return given as JsonObject;
  try {
    return resolveInputs({ ...d.flow, inputs }, given, { scope: { executionId: d.execution.id, now: d.now, labels: d.execution.labels } });
  } catch (error) {
    if (strict && error instanceof InputValidationError) throw error;
    return given as JsonObject;
  }
};
