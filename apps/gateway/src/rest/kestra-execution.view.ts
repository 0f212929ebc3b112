import type { ExecutionOptions } from '@chronicle/domain';
import type { ExecutionView } from '@chronicle/read-model';
import { publicBaseUrl } from './public-url.js';

/**
 * Kestra's REST shape of an execution, so Kestra API clients keep working, plus the whole record:
 * attempt numbers, durations, why it was killed, the per-run options and status message, and
 * `url`, the live monitor's page of the execution (under CHRONICLE_PUBLIC_URL when set).
 */
/**
 * Kestra's ExecutionTrigger: `{ id, type, variables }`. Chronicle stores a Schedule's or a Webhook's
 * trigger flat (`{ id, type, body, headers, parameters }`, which expressions read as `trigger.body`);
 * its REST answer also carries them under `variables`, where Kestra's clients read them.
 */
function kestraTrigger(trigger: ExecutionView['trigger']): ExecutionView['trigger'] | null {
  if (trigger === undefined || trigger === null) return null;
  if (typeof trigger !== 'object' || Array.isArray(trigger) || 'variables' in trigger) return trigger;
  const { id: _id, type: _type, ...variables } = trigger as Record<string, unknown>;
  return { ...trigger, variables } as ExecutionView['trigger'];
}

export function toKestraExecution(execution: ExecutionView, baseUrl: string) {
  const options: ExecutionOptions = execution.options ?? {};
  const killReason = execution.killReason;
  const error = execution.error ?? (killReason !== undefined && ['KILLING', 'KILLED'].includes(execution.state) ? killReason : undefined);
  return {
    id: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    flowRevision: execution.flowRevision,
    state: {
      current: execution.state,
      histories: execution.stateHistory.map((h) => ({ state: h.state, date: h.date })),
      startDate: execution.startDate,
      ...(execution.endDate ? { endDate: execution.endDate, duration: isoDuration(execution.startDate, execution.endDate) } : {}),
    },
    inputs: execution.inputs,
    outputs: execution.outputs ?? {},
    labels: Object.entries(execution.labels).map(([key, value]) => ({ key, value })),
    taskRunList: execution.taskRuns.map((t) => ({
      id: t.id,
      executionId: execution.id,
      taskId: t.taskId,
      parentTaskRunId: t.parentTaskRunId ?? null,
      value: t.value ?? null,
      state: {
        current: t.state,
        histories: t.stateHistory,
        ...(t.startDate ? { startDate: t.startDate } : {}),
        ...(t.endDate ? { endDate: t.endDate } : {}),
        ...(t.startDate && t.endDate ? { duration: isoDuration(t.startDate, t.endDate) } : {}),
      },
      attempts: t.attempts.map((a) => ({
        attempt: a.number,
        state: { current: a.state, startDate: a.startDate, endDate: a.endDate, ...(a.startDate && a.endDate ? { duration: isoDuration(a.startDate, a.endDate) } : {}) },
        error: a.error,
      })),
      outputs: t.outputs ?? {},
      ...(t.error ? { error: t.error } : {}),
      ...(t.breakpoint !== undefined && t.state === 'CREATED' ? { breakpoint: t.breakpoint } : {}),
    })),
    trigger: kestraTrigger(execution.trigger),
    originalId: execution.originalId,
    parentId: execution.parentId ?? null,
    // Kestra calls a deferred start `scheduleDate`.
    scheduleDate: options.scheduledAt ?? null,
    priority: options.priority ?? null,
    maxRuntime: options.maxRuntime ?? null,
    name: options.name ?? null,
    description: options.description ?? null,
    message: options.message ?? null,
    startedBy: options.startedBy ?? null,
    ...(killReason !== undefined ? { killReason } : {}),
    breakpoints: options.breakpoints ?? [],
    stepMode: execution.stepping ?? options.stepMode === true,
    lockClaims: execution.lockClaims ?? [],
    ...(error ? { error } : {}),
    ...modelFields(execution),
    url: `${publicBaseUrl(baseUrl)}/executions/${encodeURIComponent(execution.id)}`,
    /** Chronicle's addition: the stream revision this state reflects; send it back as `?minRevision=` to read your writes. */
    revision: execution.revision,
  };
}

/** `PT1.5S`-style ISO-8601 duration between two instants (Kestra's `state.duration`). */
export function isoDuration(from: string, to: string): string {
  const ms = Math.max(0, Date.parse(to) - Date.parse(from));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${Number(s.toFixed(3))}S` : ''}`;
}

/** Savepoints (without what they restore), rewinds and what a wrapper runs around: Chronicle's additions. */
function modelFields({ savepoints, rewinds, wrapped }: ExecutionView) {
  return {
    savepoints: (savepoints ?? []).map(({ revision, taskId, taskRunId, at }) => ({ revision, taskId, taskRunId, at })),
    ...(rewinds !== undefined && rewinds.length > 0 ? { rewinds } : {}),
    ...(wrapped !== undefined ? { wraps: { namespace: wrapped.namespace, flowId: wrapped.flowId, innerWrappers: wrapped.wrappers.map((w) => ({ namespace: w.namespace, flowId: w.flowId })) } } : {}),
  };
}
