import {
  decideAndFold, evolve, executionStreamId, isTerminal, noExecutionToResume, noExecutionToWatch, type Execution, type AdvanceExecution, type ExecutionCommand, type FireTimer, type ExecutionEvent, type FlowDefinition, type InstallationVariables,
} from '@chronicle/domain';
import { WrongExpectedVersionError, type EventData, type EventStore, type RecordedEvent } from '@chronicle/event-store';
import { toDomainEvent, toEventData } from '@chronicle/contracts';
import { actorOf, executionIdOfStream, ExecutionRepository, FlowRepository, SYSTEM_EXECUTOR_ACTOR } from '@chronicle/use-cases';
import { FirstStepDecider, firstStepWritten, observeLocalTaskRuns, type Admission, type AdmissionRequest, type ExecutionAdmin, type FirstDecision } from '@chronicle/use-cases';
import type { Clock, Logger } from '@chronicle/runtime';
import { isRefusal } from '@chronicle/errors';

export interface RejectedCommand {
  readonly command: ExecutionCommand;
  readonly reason: string;
}

interface Pending {
  readonly before: Execution;
  state: Execution;
  readonly events: ExecutionEvent[];
  /** The events as stored: each one names the actor of the command it answers. */
  readonly envelopes: EventData[];
  /** The state came from this replica's cache, not from the stream. */
  readonly cached: boolean;
}

const MAX_CONFLICT_RETRIES = 5;

/** A command was refused against a cached state: decide the batch again from the streams before refusing it. */
class StaleCachedState extends Error {
  constructor(readonly executionId: string) {
    super(`execution ${executionId}: a command was refused against a cached state`);
  }
}

/** Where flow concurrency limits are kept across replicas (ConcurrencySlots in production). */
export interface ConcurrencyAdmission {
  admit(request: AdmissionRequest): Promise<Admission>;
  /** A queued execution's new priority (updateExecution): its place in the queue. */
  reprioritize?(executionId: string, priority: number): Promise<void>;
}

export interface ExecutionCommandHandlerOptions {
  /** Execution states kept in memory (default 10 000). */
  readonly maxCached?: number;
  /** Without it, flow concurrency limits are not applied (every execution starts). */
  readonly admission?: ConcurrencyAdmission;
  /** Run local tasks inside the decision (default true; see the domain's local-tasks.ts). */
  readonly localTasks?: boolean;
  /** `envs` and `globals` for every expression a decision renders (CHRONICLE_ENV_VARS_PREFIX, CHRONICLE_GLOBALS). */
  readonly installation?: InstallationVariables;
  /** The read model's executions, for a WaitForExecution that selects its target by labels (without it, such a task fails saying so). */
  readonly watchTargets?: Pick<ExecutionAdmin, 'newestWithLabels'>;
}

/**
 * The Execution aggregate's command side. A batch of commands (ordered per execution by
 * the bus key) is decided against cached states and written with ONE atomic appendMany,
 * each stream guarded by its expected revision. A conflict (another replica wrote during
 * a rebalance) drops the cache and decides again from the stream: deciders are
 * idempotent, so a replayed command yields nothing new.
 */
export class ExecutionCommandHandler {
  private readonly cache = new Map<string, Execution>();
  private readonly maxCached: number;
  private readonly admission?: ConcurrencyAdmission;
  private readonly localTasks: boolean;
  private readonly installation?: InstallationVariables;
  private readonly watchTargets?: Pick<ExecutionAdmin, 'newestWithLabels'>;
  /** The first step's decision, the same one the gateway and the scheduler make (first-step.ts). */
  private readonly firstStep: FirstStepDecider;

  constructor(
    private readonly store: EventStore,
    private readonly flows: FlowRepository,
    private readonly executions: ExecutionRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: ExecutionCommandHandlerOptions = {},
  ) {
    this.maxCached = options.maxCached ?? 10_000;
    this.admission = options.admission;
    this.localTasks = options.localTasks ?? true;
    this.installation = options.installation;
    this.watchTargets = options.watchTargets;
    this.firstStep = new FirstStepDecider(flows, clock, { localTasks: this.localTasks, installation: this.installation });
  }

  /**
   * The relay saw a new execution's first event go by: its state is kept, so the first command
   * (AdvanceExecution) does not read back the stream that was just written. Only revision 0 of
   * an unknown execution: a stream that already holds more events makes the append conflict,
   * and the conflict path decides again from the stream, so a wrong guess costs a retry, never a
   * wrong decision.
   */
  prime(created: RecordedEvent): void {
    // A creation written with its first step: the state is kept already (see decideFirst), or ended.
    if (created.type !== 'ExecutionCreated' || created.revision !== 0n || firstStepWritten(created)) return;
    const executionId = executionIdOfStream(created.streamId);
    if (this.cache.has(executionId)) return;
    const state = evolve(undefined, toDomainEvent(created));
    if (state) this.remember(state);
  }

  /**
   * The first step of an execution just created in this process (FirstDecision): what its
   * AdvanceExecution would decide, to be written in the creation's own append, so that nothing
   * goes through the log and the bus before it. Undefined (the usual way) for a flow with a
   * concurrency limit (its slot is taken by the decision the bus delivers) and when nothing or a
   * refusal is decided. The state is kept once the append succeeded (`settle`).
   */
  async decideFirst(created: Execution): ReturnType<FirstDecision['decideFirst']> {
    const first = await this.firstStep.decideFirst(created);
    if (!first) return undefined;
    return {
      ...first,
      settle: () => {
        // A command of this execution handled meanwhile keeps its newer state.
        if (!this.cache.has(first.state.id)) this.remember(first.state);
        first.settle();
      },
    };
  }

  /** Returns the commands that can never succeed (the caller dead-letters them). */
  async handle(commands: readonly ExecutionCommand[]): Promise<RejectedCommand[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.decideAndAppend(commands);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError || error instanceof StaleCachedState) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        this.logger.debug({ stream: error instanceof StaleCachedState ? error.executionId : error.streamId, attempt }, 'concurrent write or stale cache, deciding again from the stream');
        for (const command of commands) {
          this.cache.delete(command.executionId);
          if (command.type === 'ResumeExecution' && command.requestedBy) this.cache.delete(command.requestedBy.executionId);
        }
      }
    }
  }

  private async decideAndAppend(commands: readonly ExecutionCommand[]): Promise<RejectedCommand[]> {
    const pending = new Map<string, Pending>();
    const rejected: RejectedCommand[] = [];
    const queue = [...commands];
    for (const command of queue) {
      const entry = pending.get(command.executionId) ?? (await this.start(command.executionId, pending));
      if (!entry) {
        // A Resume task whose target does not exist fails (Kestra: "No execution found for execution id ...").
        if (command.type === 'ResumeExecution' && command.requestedBy) {
          queue.push({
            type: 'ResumeAnswered', executionId: command.requestedBy.executionId, taskRunId: command.requestedBy.taskRunId, targetExecutionId: command.executionId,
            resumed: false, error: noExecutionToResume(command.executionId), now: command.now,
          });
          continue;
        }
        // A WaitForExecution whose target does not exist: the waiting task is told so (a decision on the watcher's stream).
        if (command.type === 'WatchExecution') {
          queue.push({
            type: 'WatchedExecutionEnded', executionId: command.watcher.executionId, taskRunId: command.watcher.taskRunId, watchedExecutionId: command.executionId,
            state: 'FAILED', error: noExecutionToWatch(command.executionId), now: command.now,
          });
          continue;
        }
        rejected.push({ command, reason: `execution ${command.executionId} does not exist` });
        continue;
      }
      try {
        // A development run of a draft carries its flow (no deployed revision holds it).
        const flow = entry.state.draftFlow ?? (await this.flows.require(entry.state.namespace, entry.state.flowId, entry.state.flowRevision)).definition;
        const decided = decideAndFold(await this.withFacts(this.withNow(command), entry.state, flow), entry.state, this.contextFor(flow));
        // Nothing decided against a cached state may mean the state is stale, not that the command is
        // a duplicate: this replica held the partition before a rebalance, or the relay primed the
        // execution while another replica decided it. Such a no-op is never appended, so no
        // conflict would tell: decide again from the stream (a real duplicate then costs one read).
        if (decided.events.length === 0 && entry.cached && entry.events.length === 0) throw new StaleCachedState(command.executionId);
        entry.state = decided.state!;
        entry.events.push(...decided.events);
        entry.envelopes.push(...toEventData(decided.events, { correlationId: command.executionId, actor: actorOf(command) ?? SYSTEM_EXECUTOR_ACTOR }));
      } catch (error) {
        // Only the aggregate's refusals are final; anything else (the store is down) is
        // thrown so the bus retries the batch instead of dead-lettering a valid command.
        if (!isRefusal(error)) throw error;
        // A refusal is final only against the stream itself: a cached state may miss what another
        // replica wrote while it held the partition (a task run it created). Nothing is written yet.
        if (entry.cached) throw new StaleCachedState(command.executionId);
        rejected.push({ command, reason: error.message });
      }
    }
    const writes = [...pending.values()].filter((p) => p.events.length > 0);
    if (writes.length > 0) {
      await this.store.appendMany(
        writes.map((p) => ({
          streamId: executionStreamId(p.before.id),
          events: p.envelopes,
          expectedRevision: BigInt(p.before.revision),
        })),
      );
    }
    for (const p of pending.values()) {
      this.remember(p.state);
      observeLocalTaskRuns(p.events);
    }
    return rejected;
  }

  private async start(executionId: string, pending: Map<string, Pending>): Promise<Pending | undefined> {
    const cachedState = this.cache.get(executionId);
    const state = cachedState ?? (await this.executions.load(executionId));
    if (!state) return undefined;
    const entry: Pending = { before: state, state, events: [], envelopes: [], cached: cachedState !== undefined };
    pending.set(executionId, entry);
    return entry;
  }

  /** What every decision of this handler knows besides the state (the first step's included: see decideFirst). */
  private contextFor(flow: FlowDefinition) {
    return { flow, taskTypes: this.flows.taskTypes, localTasks: this.localTasks, installation: this.installation };
  }

  /** AdvanceExecution is stamped when it is handled; worker reports keep the worker's time. */
  private withNow(command: ExecutionCommand): ExecutionCommand {
    return command.type === 'AdvanceExecution' ? { ...command, now: this.clock.now() } : command;
  }

  /**
   * AdvanceExecution of a CREATED or QUEUED execution of a flow with a concurrency limit: the
   * decider needs to know how many executions of its pool run. Asking takes the slot when one
   * is free (before the decision is written: see ConcurrencySlots).
   */
  private async withFacts(command: ExecutionCommand, state: Execution, flow: FlowDefinition): Promise<ExecutionCommand> {
    // WaitForExecution by labels: the decider is pure, so the read model is asked here, once per
    // delivery (a redelivery after the target was chosen decides nothing: see resolveWatchTarget).
    if (command.type === 'ResolveWatchTarget') {
      if (!this.watchTargets) return command;
      const match = await this.watchTargets.newestWithLabels({ namespace: state.namespace, labels: command.labels, excludeId: state.id });
      return { ...command, match };
    }
    const limit = flow.concurrency;
    if (!limit || !this.admission || (state.state !== 'CREATED' && state.state !== 'QUEUED')) return command;
    if (command.type === 'UpdateExecution') {
      // Before the decision, like admit: a redelivered command sets the same priority again.
      const { priority } = command;
      if (state.state === 'QUEUED' && typeof priority === 'number' && Number.isInteger(priority) && priority >= 0) await this.admission.reprioritize?.(state.id, priority);
      return command;
    }
    // A scheduled execution asks for its slot when its start timer fires, not before.
    const scheduled = state.timers.find((t) => t.purpose === 'start');
    const starts = command.type === 'AdvanceExecution' ? scheduled === undefined : command.type === 'FireTimer' && command.timerId === scheduled?.timerId;
    if (!starts) return command;
    const { running } = await this.admission.admit({
      executionId: state.id,
      pool: { namespace: state.namespace, flowId: state.flowId, key: state.concurrencyKey ?? '' },
      limit: limit.limit,
      behavior: limit.behavior,
      // The run's own priority (set at start or steered) before the flow's.
      priority: state.options?.priority ?? flow.priority ?? 0,
      createdAt: state.startDate,
    });
    return { ...(command as AdvanceExecution | FireTimer), concurrency: { running } };
  }

  /** Running executions whose state is kept (at most CHRONICLE_EXECUTION_CACHE_SIZE). */
  get cachedExecutions(): number {
    return this.cache.size;
  }

  private remember(state: Execution): void {
    this.cache.delete(state.id);
    // Ended executions are never kept; a bound of 0 keeps none (every decision reads its stream).
    if (isTerminal(state.state) || this.maxCached === 0) return;
    if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(state.id, state);
  }
}
