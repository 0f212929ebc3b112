import type { Execution } from '@chronicle/domain';
import type { ExecutionView } from '@chronicle/read-model';

/** Kestra's REST shape of an execution, so Kestra API clients keep working. */
export function toKestraExecution(execution: Execution | ExecutionView, baseUrl: string) {
  return {
    id: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    flowRevision: execution.flowRevision,
    state: {
      current: execution.state,
      histories: execution.stateHistory.map((h) => ({ state: h.state, date: h.date })),
      startDate: execution.startDate,
      ...(execution.endDate ? { endDate: execution.endDate } : {}),
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
      state: { current: t.state, histories: t.stateHistory },
      attempts: t.attempts.map((a) => ({ state: { current: a.state, startDate: a.startDate, endDate: a.endDate }, error: a.error })),
      outputs: t.outputs ?? {},
    })),
    trigger: execution.trigger ?? null,
    originalId: execution.originalId,
    parentId: execution.parentId ?? null,
    ...(execution.error ? { error: execution.error } : {}),
    url: `${baseUrl}/api/v1/executions/${execution.id}`,
    /** Chronicle's addition: the stream revision this state reflects; send it back as `?minRevision=` to read your writes. */
    revision: execution.revision,
  };
}
