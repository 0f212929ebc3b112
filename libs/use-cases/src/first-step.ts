import { decideAndFold, isTerminal, type AdvanceExecution, type Execution, type ExecutionEvent, type FlowDefinition, type InstallationVariables, type TaskCatalog } from '@chronicle/domain';
import { isRefusal } from '@chronicle/errors';
import { eventLogLines, LOG_LINES_WITH_ROWS, toEventData } from '@chronicle/contracts';
import type { EventData, RecordedEvent } from '@chronicle/event-store';
import { isLoggedFailure } from './failure-logs.js';
import type { Clock } from '@chronicle/runtime';
import { actorOf, SYSTEM_EXECUTOR_ACTOR } from './actors.js';
import type { FirstDecision } from './first-decision.js';
import type { FlowRepository } from './flow-repository.js';
import { observeLocalTaskRuns } from './local-task-metrics.js';

/** What a first step is decided with, the same in every process that decides one. */
export interface FirstStepSettings {
  /** Run local tasks inside the decision (CHRONICLE_LOCAL_TASKS). */
  readonly localTasks: boolean;
  /** `envs` and `globals` for the expressions the decision renders. */
  readonly installation?: InstallationVariables;
}

export interface FirstStep {
  readonly command: AdvanceExecution;
  readonly events: readonly ExecutionEvent[];
  /** The execution after them: ended when every task of the flow ran locally. */
  readonly state: Execution;
}

/**
 * What the relay's AdvanceExecution would decide on a just-created execution: its start and the
 * local tasks that follow, or undefined when the start must go the usual way. A flow with a
 * concurrency limit goes the usual way (its slot is taken by the executor, from the table of
 * slots, before its decision), and so does anything that decides nothing or is refused.
 */
export function decideFirstStep(created: Execution, flow: FlowDefinition, taskTypes: TaskCatalog, now: string, settings: FirstStepSettings): FirstStep | undefined {
  if (created.state !== 'CREATED' || flow.concurrency) return undefined;
  const command: AdvanceExecution = { type: 'AdvanceExecution', executionId: created.id, now };
  let decided: ReturnType<typeof decideAndFold>;
  try {
    decided = decideAndFold(command, created, { flow, taskTypes, localTasks: settings.localTasks, installation: settings.installation });
  } catch (error) {
    if (isRefusal(error)) return undefined;
    throw error;
  }
  if (decided.events.length === 0 || !decided.state) return undefined;
  return { command, events: decided.events, state: decided.state };
}

/** A first step as it is stored: each event names the executor as its actor, as the usual way would. */
export const firstStepEnvelopes = (step: FirstStep) =>
  toEventData(step.events, { correlationId: step.command.executionId, actor: actorOf(step.command) ?? SYSTEM_EXECUTOR_ACTOR });

/**
 * A process without an executor (the gateway of the distributed mode, the scheduler) decides a
 * start's first step itself: the decision is pure and needs only the flow, so creation, start and
 * local tasks are one append, and a flow of local tasks ends in it, without a trip through the
 * log, the bus and an executor, and with one commit for the projection to fold. The executor
 * decides everything after it (it reads the stream back on its first command of the execution).
 */
export class FirstStepDecider implements FirstDecision {
  constructor(
    private readonly flows: FlowRepository,
    private readonly clock: Clock,
    private readonly settings: FirstStepSettings,
  ) {}

  async decideFirst(created: Execution): ReturnType<FirstDecision['decideFirst']> {
    if (created.state !== 'CREATED') return undefined;
    const flow = created.draftFlow ?? (await this.flows.require(created.namespace, created.flowId, created.flowRevision)).definition;
    const step = decideFirstStep(created, flow, this.flows.taskTypes, this.clock.now(), this.settings);
    if (!step) return undefined;
    return { events: firstStepEnvelopes(step), state: step.state, settle: () => observeLocalTaskRuns(step.events) };
  }
}

/**
 * A start whose first step ended the execution is its whole life in one append: no worker, no
 * later decision can write lines of it, so the projection stores its log lines with its rows, in
 * the same transaction (visible with the end, exactly once, announced with it) and the relay sends
 * none (LOG_LINES_WITH_ROWS on each event that carries lines). Not when a failure is logged: its
 * ERROR line needs the relay's task-id lookup, and all of an execution's lines keep one path.
 */
export function linesStoredWithRows(firstStep: readonly EventData[], after: Execution): EventData[] {
  if (!isTerminal(after.state) || firstStep.some((e) => isLoggedFailure(e as unknown as RecordedEvent))) return [...firstStep];
  return firstStep.map((e) =>
    eventLogLines(after.id, { type: e.type, data: e.data } as Pick<ExecutionEvent, 'type' | 'data'>).length > 0 ? { ...e, metadata: { ...e.metadata, [LOG_LINES_WITH_ROWS]: true } } : e);
}
