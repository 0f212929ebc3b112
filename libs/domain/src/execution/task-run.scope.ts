import type { TaskDefinition } from '../flow/flow.model.js';
import type { TaskRun } from './execution.state.js';
import type { RenderedTaskRun } from './expression-scope.js';

/** The task run as expressions see it. */
export const scopeOf = (run: Pick<TaskRun, 'id' | 'taskId' | 'value' | 'parentTaskRunId' | 'startDate' | 'iteration'>, task: TaskDefinition): RenderedTaskRun => ({
  id: run.id,
  taskId: task.id,
  taskType: task.typeName,
  ...(run.value !== undefined ? { value: run.value } : {}),
  ...(run.parentTaskRunId !== undefined ? { parentTaskRunId: run.parentTaskRunId } : {}),
  ...(run.startDate !== undefined ? { startDate: run.startDate } : {}),
  ...(run.iteration !== undefined ? { iteration: run.iteration } : {}),
});
