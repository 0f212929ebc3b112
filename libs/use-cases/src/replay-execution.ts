import { ExecutionNotFoundError, replayRefusal, type FlowDefinition, type JsonObject, type ReplayedTaskRun, type ReplayReference, type TaskRun } from '@chronicle/domain';
import { CodedError } from '@chronicle/errors';
import { CommandRejectedError } from './send-execution-command.js';
import type { ExecutionRepository } from './execution-repository.js';

/** A replay that cannot be done as asked (unknown task, task that never ran). */
export class ReplayInvalidError extends CodedError {
  constructor(message: string) {
    super('REPLAY_INVALID', message);
  }
}

/**
 * What a replay from `fromTaskId` reuses of `fromExecutionId`: the task runs that ended
 * SUCCESS or WARNING before the first task run of that task was created, except its own
 * ancestors (a flowable around the replayed task runs again), and only tasks the (maybe
 * newer) flow revision still has. Without `fromTaskId`, the replay starts from scratch.
 */
export async function replayedTaskRuns(
  executions: ExecutionRepository,
  flow: FlowDefinition,
  fromExecutionId: string,
  fromTaskId: string | undefined,
): Promise<ReplayReference | undefined> {
  const previous = await executions.load(fromExecutionId);
  if (!previous) throw new ExecutionNotFoundError(fromExecutionId);
  const refusal = replayRefusal(previous);
  if (refusal) throw new CommandRejectedError(previous.id, previous.state, refusal);
  if (fromTaskId === undefined) return undefined;
  const { triggers: _triggers, ...withoutTriggers } = flow;
  const taskIds = taskIdsOf({ ...withoutTriggers, id: undefined });
  if (!taskIds.has(fromTaskId)) {
    throw new ReplayInvalidError(`flow ${flow.namespace}.${flow.id} revision ${flow.revision} has no task ${fromTaskId}; replay from one of ${[...taskIds].join(', ')}`);
  }
  const index = previous.taskRuns.findIndex((t) => t.taskId === fromTaskId);
  if (index < 0) throw new ReplayInvalidError(`task ${fromTaskId} never ran in execution ${fromExecutionId}; replay from a task that ran, or without fromTaskId`);
  const byId = new Map(previous.taskRuns.map((t) => [t.id, t]));
  const ancestors = new Set<string>();
  for (let parent = previous.taskRuns[index]!.parentTaskRunId; parent; parent = byId.get(parent)?.parentTaskRunId) ancestors.add(parent);
  const taskRuns: ReplayedTaskRun[] = previous.taskRuns
    .slice(0, index)
    .filter((t) => (t.state === 'SUCCESS' || t.state === 'WARNING') && !ancestors.has(t.id) && taskIds.has(t.taskId))
    .map((t) => reused(t, byId));
  return { executionId: fromExecutionId, fromTaskId, taskRuns };
}

function reused(taskRun: TaskRun, byId: ReadonlyMap<string, TaskRun>): ReplayedTaskRun {
  const parentTaskId = taskRun.parentTaskRunId ? byId.get(taskRun.parentTaskRunId)?.taskId : undefined;
  return {
    taskId: taskRun.taskId,
    ...(taskRun.value !== undefined ? { value: taskRun.value } : {}),
    ...(parentTaskId !== undefined ? { parentTaskId } : {}),
    state: taskRun.state as 'SUCCESS' | 'WARNING',
    ...(taskRun.outputs !== undefined ? { outputs: taskRun.outputs as JsonObject } : {}),
  };
}

/** Every task id of the flow, nested ones (flowables' `tasks`, `then`, `cases`...) included. */
function taskIdsOf(value: unknown, ids = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) taskIdsOf(item, ids);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.id === 'string' && typeof record.type === 'string') ids.add(record.id);
    for (const child of Object.values(record)) if (child !== null && typeof child === 'object') taskIdsOf(child, ids);
  }
  return ids;
}
