import { LOCAL_WORKER_ID, type ExecutionEvent, type TaskJob } from '@chronicle/domain';
import { taskRunDuration } from '@chronicle/runtime';

/**
 * Counts the attempts of local tasks a decision ran (see the domain's local-tasks.ts) in the
 * task-run histogram, as the worker counts the ones it runs: a dashboard of task runs by type
 * and outcome must not lose Log and OutputValues. They ran inside the decision, in no
 * measurable time: each is observed as 0 s.
 */
export function observeLocalTaskRuns(events: readonly ExecutionEvent[]): void {
  const types = new Map<string, string>();
  const local = new Set<string>();
  for (const event of events) {
    switch (event.type) {
      case 'TaskRunCreated':
      case 'TaskRunAttemptCreated': {
        const job = (event.data as { job?: TaskJob }).job;
        if (job?.local) types.set(attemptKey(job.taskRunId, job.attempt), job.type);
        break;
      }
      case 'TaskRunStarted':
        if (event.data.workerId === LOCAL_WORKER_ID) local.add(attemptKey(event.data.taskRunId, event.data.attempt));
        break;
      case 'TaskRunSucceeded':
      case 'TaskRunFailed': {
        const key = attemptKey(event.data.taskRunId, event.data.attempt);
        const type = types.get(key);
        if (type !== undefined && local.has(key)) taskRunDuration.observe({ task_type: type, state: event.type === 'TaskRunSucceeded' ? 'SUCCESS' : 'FAILED' }, 0);
        break;
      }
      default:
        break;
    }
  }
}

const attemptKey = (taskRunId: string, attempt: number) => `${taskRunId}#${attempt}`;
