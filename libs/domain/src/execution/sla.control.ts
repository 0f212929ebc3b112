import type { SlaDefinition } from '../flow/flow.model.js';
import { type Decision, timerIdFor } from './decision.js';
import { expressionContextOf } from './expression-scope.js';
import { addMs, parseIsoDuration } from './iso-duration.js';
import { isTruthy, renderText } from './rendering.js';
import { isTerminal } from './state.js';
import { stopRuns } from './stop-runs.js';

/**
 * Kestra's flow SLAs (core/src/main/java/io/kestra/core/services/SLAService.java and
 * ExecutorService.handleExecutionChangedSLA / processViolation):
 *
 * - MAX_DURATION: a durable timer armed when the execution starts, due `duration` after its
 *   creation; if the execution is still not terminated then, the SLA is violated.
 * - EXECUTION_ASSERTION: `assert` is rendered before each decision about a running (or created,
 *   queued, paused) execution; falsy is a violation; an assertion that cannot render is ignored
 *   (Kestra logs it and goes on).
 * - A violation with FAIL ends the execution FAILED, with CANCEL CANCELLED (its unfinished task
 *   runs stop, KILLED, as Kestra's kill that follows); NONE changes nothing. Whatever the
 *   behavior, the SLA's `labels` are added to the execution. Only the first violation acts.
 */
const SLA_TIMER = 'sla';

export const slaTimerId = (executionId: string, index: number): string => timerIdFor(executionId, `${SLA_TIMER}-${index}`);

/** At start: one timer per MAX_DURATION SLA (purpose `timeout`, without a task run). */
export const armMaxDurationSlas = (d: Decision): void => {
  (d.flow.sla ?? []).forEach((sla, index) => {
    const ms = sla.type === 'MAX_DURATION' && sla.duration !== undefined ? parseIsoDuration(sla.duration) : undefined;
    if (ms === undefined) return;
    d.emit({ type: 'TimerScheduled', data: { timerId: slaTimerId(d.execution.id, index), fireAt: addMs(d.execution.startDate, ms), purpose: 'timeout', at: d.now } });
  });
};

/** The MAX_DURATION SLA a timer id is for: its own, or the same re-armed by a rewind (`<id>:rewind-<n>`). */
export const maxDurationSlaOf = (d: Decision, timerId: string): SlaDefinition | undefined => {
  const base = timerId.replace(/(:rewind-\d+)+$/, '');
  const index = (d.flow.sla ?? []).findIndex((_, i) => slaTimerId(d.execution.id, i) === base);
  return index === -1 ? undefined : d.flow.sla![index];
};

/** A MAX_DURATION timer fired: true when `timerId` was one (then handled). */
export const maxDurationSlaDue = (d: Decision, timerId: string): boolean => {
  const sla = maxDurationSlaOf(d, timerId);
  if (sla === undefined) return false;
  if (!isTerminal(d.execution.state)) violated(d, sla, `execution duration exceeds the maximum duration of ${sla.duration}`);
  return true;
};

/** Before a decision: the first EXECUTION_ASSERTION that is false acts. True when it ended the execution. */
export const executionAssertionViolated = (d: Decision): boolean => {
  if (!['CREATED', 'RUNNING', 'PAUSED'].includes(d.execution.state)) return false;
  for (const sla of d.flow.sla ?? []) {
    if (sla.type !== 'EXECUTION_ASSERTION' || sla.assert === undefined) continue;
    const rendered = renderText(`sla ${sla.id}`, 'assert', sla.assert, expressionContextOf(d.execution, { flow: d.flow, now: d.now, installation: d.installation }));
    if ('error' in rendered || isTruthy(rendered.value)) continue;
    violated(d, sla, `assertion is false: ${sla.assert}`);
    return isTerminal(d.execution.state);
  }
  return false;
};

const violated = (d: Decision, sla: SlaDefinition, reason: string): void => {
  if (sla.behavior !== 'NONE') endExecution(d, sla, reason);
  // Kestra adds the SLA's labels unless the execution has them all already.
  const labels = sla.labels ?? {};
  if (Object.entries(labels).some(([k, v]) => d.execution.labels[k] !== v)) {
    d.emit({ type: 'ExecutionLabelsChanged', data: { labels: { ...d.execution.labels, ...labels }, at: d.now } });
  }
};

const endExecution = (d: Decision, sla: SlaDefinition, reason: string): void => {
  const error = `SLA '${sla.id}' violated: ${reason}`;
  stopRuns(d, new Set(d.execution.taskRuns.filter((t) => !isTerminal(t.state)).map((t) => t.id)), `stopped: ${error}`);
  for (const timer of d.execution.timers) d.emit({ type: 'TimerCancelled', data: { timerId: timer.timerId, at: d.now } });
  if (sla.behavior === 'FAIL') d.emit({ type: 'ExecutionFailed', data: { error, at: d.now } });
  else d.emit({ type: 'ExecutionStateChanged', data: { state: 'CANCELLED', reason: error, at: d.now } });
};
