import { taskRunById } from './task-tree.js';
import type { FlowDefinition } from '../flow/flow.model.js';
import type { InstallationVariables } from '../expression/installation-variables.js';
import type { ExecutionEvent } from './execution.events.js';
import { evolve } from './execution.evolver.js';
import type { Execution, TaskRun } from './execution.state.js';
import type { State } from './state.js';
import type { TaskCatalog } from '../task-types/task-catalog.js';

/**
 * One decision in the making: the events decided so far and the execution with them folded in.
 * Every step of the decider reads `execution` (never a stale copy) and appends with `emit`, so a
 * later step sees what an earlier one decided, and a table violation fails at the step that made it.
 */
export class Decision {
  readonly events: ExecutionEvent[] = [];
  /** Every state the execution entered in this decision, in order (a watcher may wait for one it only passed through). */
  readonly statesEntered: State[] = [];

  constructor(
    private current: Execution,
    readonly flow: FlowDefinition,
    /** What each task type of the flow is (the catalog the flow was parsed with). */
    readonly taskTypes: TaskCatalog,
    readonly now: string,
    /** Whether local tasks run inside the decision (see local-tasks.ts). */
    readonly localTasks = true,
    /** `envs` and `globals` of the installation, for every expression the decision renders. */
    readonly installation?: InstallationVariables,
  ) {}

  get execution(): Execution {
    return this.current;
  }

  emit(...events: ExecutionEvent[]): void {
    for (const event of events) {
      const before = this.current.state;
      this.current = evolve(this.current, event) as Execution;
      this.events.push(event);
      if (this.current.state !== before) this.statesEntered.push(this.current.state);
    }
  }

  taskRun(id: string): TaskRun {
    const found = taskRunById(this.current, id);
    if (found === undefined) throw new Error(`decision bug: no task run ${id}`);
    return found;
  }
}

/**
 * Task run ids are a pure function of the execution and the creation order, so a redelivered
 * command regenerates exactly the same events (and the same job for the worker).
 */
export const taskRunIdFor = (executionId: string, index: number): string => `${executionId}.${index}`;

/** Timer ids are deterministic too: the same decision schedules the same timer. */
export const timerIdFor = (subject: string, purpose: string, attempt?: number): string =>
  attempt === undefined ? `${subject}:${purpose}` : `${subject}:${purpose}:${attempt}`;

/** A Subflow attempt's child execution id (the application may hash it into a UUID). */
export const childExecutionIdFor = (taskRunId: string, attempt: number): string => `${taskRunId}.subflow.${attempt}`;
