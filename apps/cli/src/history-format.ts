import type { ExecutionEvent } from '@chronicle/client';
import { brief, dim, state } from './output.js';

/**
 * An event of `executionHistory` / `executionEvents` (the SDK's generated ExecutionEvent); `data`,
 * a JSON scalar, is read as the event's fields.
 */
export type HistoryEvent = Pick<ExecutionEvent, 'revision' | 'type' | 'occurredAt'> & Partial<Pick<ExecutionEvent, 'position'>> & { readonly data: Record<string, any> };

const TERMINAL = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED']);

/** Whether this event ends the execution (the stream stays open for a restart, the tail stops). */
export function endsExecution(event: HistoryEvent): boolean {
  if (event.type === 'ExecutionSucceeded' || event.type === 'ExecutionFailed') return true;
  return event.type === 'ExecutionStateChanged' && TERMINAL.has(event.data.state as string);
}

/**
 * Turns events into one line each: revision, time, type, a short summary. It remembers which task
 * each task run belongs to, since most task-run events carry only the task run's id.
 */
export class HistoryFormatter {
  private readonly tasks = new Map<string, string>();

  constructor(private readonly executionId?: string) {}

  line(event: HistoryEvent): string {
    return `${String(event.revision).padStart(4)}  ${dim(event.occurredAt)}  ${event.type.padEnd(24)} ${this.summary(event)}`.trimEnd();
  }

  summary(event: HistoryEvent): string {
    const d = event.data;
    const task = (id: string | undefined) => (id === undefined ? '?' : this.tasks.get(id) ?? id);
    const attempt = d.attempt !== undefined ? ` attempt ${d.attempt}` : '';
    switch (event.type) {
      case 'ExecutionCreated': {
        const parts = [`${d.namespace}.${d.flowId} rev ${d.flowRevision}`];
        if (d.inputs && Object.keys(d.inputs).length > 0) parts.push(`inputs ${brief(d.inputs, 50)}`);
        if (d.originalId && d.originalId !== (this.executionId ?? d.executionId)) parts.push(`original ${d.originalId}`);
        if (d.replayOf) parts.push(`replay of ${d.replayOf.executionId}${d.replayOf.fromTaskId ? ` from task ${d.replayOf.fromTaskId}` : ''}`);
        if (d.parentId) parts.push(`child of ${d.parentId}`);
        if (d.attemptNumber > 1) parts.push(`flow retry attempt ${d.attemptNumber}`);
        return parts.join(' · ');
      }
      case 'ExecutionStarted':
        return state('RUNNING');
      case 'TaskRunCreated':
        this.tasks.set(d.taskRunId, d.taskId);
        return `${d.taskId}${d.value !== undefined ? `[${d.value}]` : ''} ${dim(d.taskRunId)}`;
      case 'TaskRunStarted':
      case 'TaskRunAttemptCreated':
      case 'TaskRunKillRequested':
        return `${task(d.taskRunId)}${attempt}${d.childExecutionId ? ` child ${d.childExecutionId}` : ''}`;
      case 'TaskRunSucceeded':
        return `${task(d.taskRunId)}${attempt} → ${state(d.taskRunState ?? 'SUCCESS')}${d.outputs && Object.keys(d.outputs).length > 0 ? ` outputs ${brief(d.outputs, 50)}` : ''}`;
      case 'TaskRunFailed':
        return `${task(d.taskRunId)}${attempt} → ${state(d.taskRunState ?? 'FAILED')}: ${brief(d.error, 70)}`;
      case 'TaskRunStateChanged':
        return `${task(d.taskRunId)} → ${state(d.state)}${d.error ? `: ${brief(d.error, 60)}` : ''}`;
      case 'ExecutionStateChanged':
        return `→ ${state(d.state)}${d.reason ? ` (${brief(d.reason, 50)})` : ''}${d.error ? `: ${brief(d.error, 60)}` : ''}`;
      case 'ExecutionSucceeded':
        return `→ ${state('SUCCESS')}${d.outputs && Object.keys(d.outputs).length > 0 ? ` outputs ${brief(d.outputs, 50)}` : ''}`;
      case 'ExecutionFailed':
        return `→ ${state('FAILED')}: ${brief(d.error, 70)}`;
      case 'TimerScheduled':
        return `${d.purpose} ${d.taskRunId ? `${task(d.taskRunId)} ` : ''}at ${d.fireAt}`;
      case 'TimerFired':
      case 'TimerCancelled':
        return dim(d.timerId);
      case 'ChildExecutionRequested':
        return `${task(d.taskRunId)} → child ${d.childExecutionId} (${d.namespace}.${d.flowId}${d.flowRevision !== undefined ? ` rev ${d.flowRevision}` : ''})`;
      case 'ExecutionResumeRequested':
        return `${task(d.taskRunId)} → resume ${d.targetExecutionId}`;
      case 'TaskRunProgressed':
        return `${task(d.taskRunId)}${d.ended ? ` child ${d.ended.childExecutionId} → ${state(d.ended.state)}` : ''}`;
      case 'ExecutionVariablesChanged':
        return `${task(d.taskRunId)} → vars ${brief(d.variables, 60)}`;
      case 'ExecutionLabelsChanged':
        return `${d.taskRunId ? `${task(d.taskRunId)} ` : ''}→ labels ${brief(d.labels, 60)}`;
      case 'ExecutionUpdated':
        return `${d.taskRunId ? `${task(d.taskRunId)} ` : ''}→ ${brief(Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'taskRunId' && k !== 'at')), 80)}`;
      case 'ExecutionRetryRequested':
        return `new execution ${d.newExecutionId} (attempt ${d.attemptNumber}) not before ${d.notBefore}`;
      default:
        return brief(d, 80);
    }
  }
}
