import type { JsonObject, TaskJob } from '@chronicle/domain';
import type { LogLevel, TaskMetric, TaskRunContext } from '../runnable-task.js';

/** A task run context for tests: records logs and metrics, aborts on demand. */
export function taskContext(type: string, properties: JsonObject, extra: Partial<TaskJob> & { context?: JsonObject } = {}) {
  const logs: Array<{ level: LogLevel; message: string }> = [];
  const metrics: TaskMetric[] = [];
  const controller = new AbortController();
  const context: TaskRunContext = {
    job: { executionId: 'e1', taskRunId: 'e1.1', taskId: 't1', attempt: 1, type, properties, ...extra } as TaskJob,
    log: (level, message) => logs.push({ level, message }),
    metric: (metric) => metrics.push(metric),
    signal: controller.signal,
  };
  return { context, logs, metrics, abort: (reason?: unknown) => controller.abort(reason) };
}
