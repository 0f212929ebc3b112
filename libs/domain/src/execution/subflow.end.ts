import { renderValue } from '../expression/template.renderer.js';
import type { JsonObject } from '../shared/json.js';
import { attemptFailed, attemptSucceeded } from './attempt.end.js';
import type { ChildExecutionEnded } from './execution.commands.js';
import type { Decision } from './decision.js';
import { expressionContextOf } from './expression-scope.js';
import { attempt } from './rendering.js';
import { taskOf } from './task-tree.js';
import { cancelTaskTimeout } from './task-timeout.arm.js';

/**
 * A Subflow's child ended. Outputs: the child's `executionId`, `state` and `outputs` (its flow
 * outputs, plus the task's deprecated `outputs:` rendered against the child's task outputs; a
 * render failure fails the task, as in Kestra). With `transmitFailed`, a FAILED / KILLED child
 * fails the task run (retries apply) and a WARNING child warns it; without, the task succeeds.
 * A child that could not be created (`notCreated`) always fails it. A report about another
 * attempt's child, or a task run that already ended, decides nothing.
 */
export const childEnded = (d: Decision, command: ChildExecutionEnded): boolean => {
  const run = d.execution.taskRuns.find((t) => t.id === command.taskRunId);
  const task = run === undefined ? undefined : taskOf(d.flow, run.taskId);
  if (run === undefined || task === undefined || task.type !== 'Subflow') return false;
  if (run.state !== 'RUNNING' || run.childExecutionId !== command.childExecutionId) return false;
  const number = run.attempts[run.attempts.length - 1]?.number ?? 1;
  cancelTaskTimeout(d, run.id, number);
  const declared = task.properties.outputs;
  let extracted: JsonObject = {};
  if (declared !== undefined && declared !== null) {
    const base = expressionContextOf(d.execution, { flow: d.flow, now: d.now, installation: d.installation });
    const rendered = attempt(`task ${task.id}, property "outputs"`, () => renderValue(declared, { ...base, outputs: command.taskOutputs ?? {} }));
    if ('error' in rendered) {
      // Kestra keeps the child's id and state on the task run even when its outputs cannot be extracted.
      attemptFailed(d, run.id, task, number, rendered.error, { executionId: command.childExecutionId, state: command.state });
      return true;
    }
    extracted = rendered.value as JsonObject;
  }
  const outputs: JsonObject = {
    executionId: command.childExecutionId,
    state: command.state,
    outputs: { ...(command.outputs ?? {}), ...extracted },
  };
  // Kestra's default is true (core/src/main/java/io/kestra/plugin/core/flow/Subflow.java).
  const transmit = task.properties.transmitFailed !== false;
  const failed = ['FAILED', 'KILLED', 'CANCELLED', 'RETRIED'].includes(command.state);
  // A child that could not be created fails the task whatever transmitFailed says (Kestra too).
  if (command.notCreated === true) {
    attemptFailed(d, run.id, task, number, command.error ?? `subflow execution ${command.childExecutionId} could not be created`, outputs);
    return true;
  }
  if (transmit && failed) {
    const why = command.error !== undefined ? `: ${command.error}` : '';
    attemptFailed(d, run.id, task, number, `subflow execution ${command.childExecutionId} ended ${command.state}${why}`, outputs);
    return true;
  }
  attemptSucceeded(d, run.id, task, number, outputs, transmit && command.state === 'WARNING');
  return true;
};
