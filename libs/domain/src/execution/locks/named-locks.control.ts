import type { FlowDefinition, TaskDefinition } from '../../flow/flow.model.js';
import type { JsonObject } from '../../shared/json.js';
import { priorityOf } from '../attempts.js';
import type { Decision } from '../decision.js';
import type { Execution, TaskRun } from '../execution.state.js';
import { expressionContextOf } from '../expression-scope.js';
import { isTerminal } from '../state.js';
import { taskRunById } from '../task-tree.js';
import type { LockClaim } from './lock-claim.js';
import { LockNameError, renderLockNames } from './lock-names.render.js';
import type { GrantLocks, RevokeLock } from './named-locks.commands.js';

/**
 * Named locks, the execution's side. A holder (the execution, or one task run) asks for all its
 * locks at once (LocksRequested, names sorted) and waits; the application's lock table grants
 * the whole claim or nothing, FIFO by priority, and answers GrantLocks; the holder releases
 * everything when it ends (LocksReleased, also when it gave up waiting). No holder ever holds
 * some locks while waiting for others, so waiting holders cannot deadlock each other.
 */

export const claimOf = (execution: Execution, holder: string): LockClaim | undefined => execution.lockClaims?.find((c) => c.holder === holder);

/**
 * The flow's `locks`, rendered when the execution is created (inputs and labels are known
 * then): a name that cannot be refuses the start, with the entry's index.
 */
export const renderExecutionLocks = (flow: FlowDefinition, scope: { executionId: string; inputs: JsonObject; labels: Record<string, string>; now: string }): string[] | undefined => {
  if (flow.locks === undefined || flow.locks.length === 0) return undefined;
  const context = {
    inputs: scope.inputs, outputs: {}, labels: scope.labels, now: scope.now,
    execution: { id: scope.executionId, startDate: scope.now, originalId: scope.executionId },
    flow: { id: flow.id, namespace: flow.namespace, revision: flow.revision },
  };
  const rendered = renderLockNames(flow.locks, context);
  if ('error' in rendered) throw new LockNameError(rendered.field, rendered.error);
  return rendered.names;
};

/**
 * Called when the execution would start: true while it must wait for its flow's locks (asked
 * for now if not yet). Its state stays CREATED (or QUEUED) meanwhile, its claim WAITING.
 */
export const awaitsExecutionLocks = (d: Decision): boolean => {
  const names = d.execution.locks;
  if (names === undefined || names.length === 0) return false;
  const claim = claimOf(d.execution, d.execution.id);
  if (claim?.state === 'HELD') return false;
  if (claim === undefined) {
    d.emit({ type: 'LocksRequested', data: { holder: d.execution.id, names, ...whereOf(d), priority: priorityOf(d) ?? 0, at: d.now } });
  }
  return true;
};

/**
 * A task with `locks` about to begin: true when it may (its claim is held), else it waits (its
 * claim asked for now if not yet). Entries that render to no lock name fail the task run.
 */
export const taskMayTakeLocks = (d: Decision, run: TaskRun, task: TaskDefinition): boolean => {
  if (task.locks === undefined || task.locks.length === 0) return true;
  const claim = claimOf(d.execution, run.id);
  if (claim !== undefined) return claim.state === 'HELD';
  const context = expressionContextOf(d.execution, {
    flow: d.flow,
    now: d.now,
    installation: d.installation,
    taskRun: { id: run.id, taskId: task.id, taskType: task.typeName, ...(run.value !== undefined ? { value: run.value } : {}), ...(run.parentTaskRunId !== undefined ? { parentTaskRunId: run.parentTaskRunId } : {}), startDate: d.now },
  });
  const rendered = renderLockNames(task.locks, context);
  if ('error' in rendered) {
    d.emit({ type: 'TaskRunStateChanged', data: { taskRunId: run.id, state: 'FAILED', error: `task ${task.id}, property "${rendered.field}": ${rendered.error}`, at: d.now } });
    return false;
  }
  d.emit({ type: 'LocksRequested', data: { holder: run.id, taskRunId: run.id, names: rendered.names, ...whereOf(d), priority: priorityOf(d) ?? 0, at: d.now } });
  return false;
};

/**
 * GrantLocks: the claim is held now. The execution's own claim starts it (`start`: the
 * lifecycle's advance); a task run's begins it (`beginHeld`). Both are given by the decider, so
 * this module imports neither the lifecycle nor the task start. A
 * grant for a claim that is gone (the holder ended) or already held decides nothing: the
 * holder's release frees the table's side.
 */
export const grantLocks = (d: Decision, command: GrantLocks, start: (d: Decision) => boolean, beginHeld: (d: Decision) => void): boolean => {
  const claim = claimOf(d.execution, command.holder);
  if (claim === undefined || claim.state === 'HELD') return false;
  d.emit({ type: 'LocksAcquired', data: { holder: claim.holder, ...(claim.taskRunId !== undefined ? { taskRunId: claim.taskRunId } : {}), names: claim.names, at: d.now } });
  if (claim.taskRunId === undefined) return start(d);
  beginHeld(d);
  return true;
};

/** An ADMIN force-released `name` from this holder: recorded, the holder goes on without it. */
export const revokeLock = (d: Decision, command: RevokeLock): void => {
  const claim = claimOf(d.execution, command.holder);
  if (claim === undefined || !claim.names.includes(command.name)) return;
  d.emit({ type: 'LockRevoked', data: { holder: claim.holder, ...(claim.taskRunId !== undefined ? { taskRunId: claim.taskRunId } : {}), name: command.name, by: command.by, at: d.now } });
};

/**
 * After every decision: claims whose holder ended (the execution, or the task run) are
 * released, held or still waiting. Runs last, so a kill or a failure decided just now frees
 * the locks in the same append.
 */
export const releaseEndedClaims = (d: Decision): void => {
  for (const claim of d.execution.lockClaims ?? []) {
    const run = claim.taskRunId === undefined ? undefined : taskRunById(d.execution, claim.taskRunId);
    const ended = isTerminal(d.execution.state) || (run !== undefined && isTerminal(run.state));
    if (!ended) continue;
    d.emit({ type: 'LocksReleased', data: { holder: claim.holder, ...(claim.taskRunId !== undefined ? { taskRunId: claim.taskRunId } : {}), names: claim.names, held: claim.state === 'HELD', at: d.now } });
  }
};

const whereOf = (d: Decision): { namespace: string; flowId: string } => ({ namespace: d.execution.namespace, flowId: d.execution.flowId });
