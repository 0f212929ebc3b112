import { decideFlowTrigger, executionStreamId, isTerminal, mayStartFlowIn, outputsTree, type ConditionExecution, type Execution, type FlowTrigger, type JsonObject, type NamespaceAllowRule, type State } from '@chronicle/domain';
import { ExecutionRepository, startTriggeredExecution, type CreateExecutionDeps, type DeclaredTrigger, type FlowTriggersIndex, type TriggerStates } from '@chronicle/use-cases';
import type { CheckpointStore } from '@chronicle/use-cases';
import { resilientSubscription } from '@chronicle/composition';
import type { EventStore, RecordedEvent, Subscription } from '@chronicle/event-store';
import type { Logger } from '@chronicle/runtime';

export const FLOW_TRIGGER_CHECKPOINT = 'scheduler-flow-triggers';
/** Every execution state transition after creation (a Flow trigger may listen to RUNNING or PAUSED too). */
const STATE_EVENTS = ['ExecutionStarted', 'ExecutionSucceeded', 'ExecutionFailed', 'ExecutionStateChanged'];

/**
 * Reacts to execution state changes: starts the flows whose `Flow` triggers listen to that state
 * and whose conditions hold (Kestra's FlowTriggerService: `states`, `conditions`, then the
 * MultipleCondition / `preconditions` windows kept in the trigger state store), with
 * `trigger.executionId/state/outputs`, and disables a Schedule or HTTP trigger whose `stopAfter` lists the state
 * its execution ended in. Checkpointed; each start is idempotent on (trigger, upstream execution,
 * state), so a replay after a crash starts nothing twice.
 */
export class FlowTriggerListener {
  private subscription?: Subscription;
  private started = false;
  private stopped = false;
  /** The last log position whose state changes were handled (or wanted by nobody): where following resumes. */
  private handled?: bigint;
  /** The flow event position after which something has wanted state changes without a break; unset while nothing does. */
  private wantedSince?: bigint;
  /** The log's head before a Kafka trigger started an execution holding a slot (see expectEnd), until followed from there. */
  private endsSince?: bigint;
  /** Subscribing and closing one after the other: index changes come from another subscription. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly index: FlowTriggersIndex,
    private readonly states: TriggerStates,
    private readonly checkpoints: CheckpointStore,
    private readonly deps: CreateExecutionDeps,
    private readonly logger: Logger,
    /** CHRONICLE_NAMESPACE_ALLOW: which other namespaces' outputs a Flow trigger may receive. */
    private readonly namespaceAllow: readonly NamespaceAllowRule[] = [],
    /** Told of every execution that ended (admission control frees its slot). */
    private readonly onEnded?: (executionId: string) => void,
    /** True while `onEnded` still has something to free (slots held by executions in flight). */
    private readonly awaitingEnds: () => boolean = () => false,
  ) {}

  /**
   * Follows the log from its checkpoint (or from the head), but only while something can want a
   * state change: a Flow trigger, a Schedule's or HTTP trigger's `stopAfter`, a Kafka trigger (whose admission slots
   * the ends free) or a slot still held. Otherwise every execution's append would be read for
   * nothing (one statement per append in the scheduler and in Postgres). Call after the index has
   * caught up with the flows (`indexChanged` from then on).
   */
  async start(): Promise<void> {
    this.handled = await this.checkpoints.load(FLOW_TRIGGER_CHECKPOINT) ?? (await this.store.headPosition());
    this.started = true;
    await this.follow();
  }

  /**
   * The trigger index changed with the flow events up to `position`. Whatever wants state changes
   * from now on wants those after `position`: ones before it, while nothing wanted them, are not
   * read (not on a resume, not after a restart).
   */
  indexChanged(position: bigint): void {
    if (!this.wanted()) this.wantedSince = undefined;
    else this.wantedSince ??= position;
    if (this.started) void this.follow().catch((error: unknown) => this.logger.warn({ err: error }, 'flow-trigger listener could not follow the log'));
  }

  /**
   * A Kafka trigger holds an admission slot and is about to start an execution: its end must be
   * seen to free the slot, even an end written in the creation's own append. Resolves once the
   * log is followed from before that append.
   */
  async expectEnd(): Promise<void> {
    if (this.subscription || this.stopped || !this.awaitingEnds()) return;
    this.endsSince ??= (await this.store.headPosition()) ?? 0n;
    await this.follow();
  }

  /** Whether the listener follows the log (for tests and health). */
  get isFollowing(): boolean {
    return this.subscription !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.follow();
    await this.checkpoints.flush?.();
  }

  private wanted(): boolean {
    // An HTTP trigger's lock needs no end from here (its runner reads the execution when it polls): only its stopAfter does.
    return this.index.ofKind('Flow').length > 0
      || this.anyStopAfter()
      || this.index.ofKind('Kafka').length > 0
      || this.awaitingEnds();
  }

  /** Subscribes while something wants state changes, closes the subscription while nothing does. */
  private follow(): Promise<void> {
    // A failed step (a close or a checkpoint flush that threw) is reported to its caller; the next one runs anyway.
    this.chain = this.chain.catch(() => undefined).then(async () => {
      const want = !this.stopped && (this.wantedSince !== undefined || this.awaitingEnds());
      if (want && !this.subscription) {
        // From the earliest point something wants, but never before what was handled.
        const since = [this.wantedSince, this.endsSince].filter((p) => p !== undefined).reduce<bigint | undefined>((a, b) => (a === undefined || b < a ? b : a), undefined);
        const after = since !== undefined && since > this.handled! ? since : this.handled;
        this.endsSince = undefined;
        this.logger.debug({ after: after?.toString() }, 'flow-trigger listener following the log');
        this.subscription = resilientSubscription(this.store, { after, filter: { streamPrefixes: ['execution-'], eventTypes: STATE_EVENTS }, batchSize: 200 }, async (events) => {
          for (const event of events) await this.onEvent(event);
          const last = events[events.length - 1]!.position;
          this.handled = last;
          await this.checkpoints.save(FLOW_TRIGGER_CHECKPOINT, last);
        }, { logger: this.logger, name: 'flow triggers' });
      } else if (!want && this.subscription) {
        const subscription = this.subscription;
        this.subscription = undefined;
        await subscription.close();
        await this.checkpoints.flush?.();
      }
    });
    return this.chain;
  }

  private async onEvent(event: RecordedEvent): Promise<void> {
    const state = stateOf(event);
    if (!state) return;
    if (isTerminal(state)) this.onEnded?.(event.streamId.slice('execution-'.length));
    const listening = this.index.ofKind('Flow').filter((declared) => declared.trigger.states.includes(state));
    // Only a terminal state can stop a Schedule; any other state matters only to a trigger listening to it.
    if (listening.length === 0 && !isTerminal(state)) return;
    // Most ends concern nobody: without a listening Flow trigger or a stopAfter (Schedule, HTTP) anywhere,
    // the stream is not read (one read per execution saved on the hot path).
    if (listening.length === 0 && !this.anyStopAfter()) return;
    const executionId = event.streamId.slice('execution-'.length);
    const [created] = await this.store.readStream(executionStreamId(executionId), { maxCount: 1 });
    const origin = created?.data as { namespace: string; flowId: string; trigger?: { type?: string; id?: string } } | undefined;
    if (!origin) return;
    // A development run has no side effects downstream: no flow trigger fires, no stopAfter applies.
    if ((origin as { options?: { mode?: string } }).options?.mode === 'DEVELOPMENT') return;
    if (isTerminal(state)) await this.applyStopAfter(origin, state);
    if (listening.length === 0) return;
    // Labels, outputs and attempts as of this event (conditions judge the execution as it was then).
    const execution = await new ExecutionRepository(this.store).load(executionId, Number(event.revision));
    if (!execution) return;
    const upstream = conditionExecutionOf(execution, state);
    const outputs = upstream.outputs ?? (event.data as { outputs?: JsonObject }).outputs ?? {};
    // Kestra renders a Flow trigger's inputs in the upstream execution's context: `{{ outputs.task.value }}`.
    const taskOutputs = outputsTree(execution);
    for (const declared of listening) await this.evaluate(declared, upstream, outputs, state, Date.parse(event.recordedAt) || Date.now(), taskOutputs);
  }

  private async evaluate(declared: DeclaredTrigger<FlowTrigger>, upstream: ConditionExecution, outputs: JsonObject, state: State, at: number, taskOutputs: JsonObject): Promise<void> {
    const key = { namespace: declared.namespace, flowId: declared.flowId, triggerId: declared.trigger.id };
    const runtime = await this.states.get(key);
    if (runtime && !runtime.enabled) return;
    const windows = declared.trigger.multiple.length > 0 ? await this.states.windows(key) : new Map();
    // Outputs and labels are the upstream namespace's data: a condition out of its reach judges without
    // them, or an ExecutionOutputs, ExecutionLabels or Expression condition would be an oracle, one bit
    // per trigger, for another namespace's outputs and labels. It sees id, namespace, flow and state.
    const mayRead = mayStartFlowIn(declared.namespace, upstream.namespace, this.namespaceAllow);
    const labels = mayRead ? Object.fromEntries(upstream.labels.map((l) => [l.key, l.value])) : {};
    const context = {
      inputs: {}, outputs: {}, labels,
      execution: { id: upstream.id, startDate: '', originalId: upstream.id },
      flow: { id: declared.flowId, namespace: declared.namespace, revision: declared.revision },
      trigger: { executionId: upstream.id, namespace: upstream.namespace, flowId: upstream.flowId, state },
      now: new Date(at).toISOString(),
    };
    const judged = mayRead ? upstream : { ...upstream, outputs: {}, labels: [] };
    const decision = decideFlowTrigger(declared.trigger, declared, { execution: judged, context }, windows, at);
    for (const problem of decision.problems) this.logger.warn({ flow: `${declared.namespace}.${declared.flowId}`, trigger: declared.trigger.id, upstream: upstream.id, problem }, 'flow trigger condition could not be evaluated (it does not hold)');
    if (decision.save.length > 0 || decision.remove.length > 0) await this.states.updateWindows(key, decision.save, decision.remove);
    if (!decision.fires) return;
    try {
      const started = await startTriggeredExecution(this.deps, {
        namespace: declared.namespace,
        flowId: declared.flowId,
        trigger: declared.trigger,
        // Terminal states keep the key they always had; an earlier state (RUNNING, PAUSED) has its own.
        idempotencyKey: isTerminal(state) ? `flow:${declared.trigger.id}:${upstream.id}` : `flow:${declared.trigger.id}:${upstream.id}:${state}:${at}`,
        // Another namespace's execution may trigger this flow (as in Kestra), but its outputs are its
        // data: they cross only where a Subflow could reach (same namespace, children, allowed).
        variables: { executionId: upstream.id, namespace: upstream.namespace, flowId: upstream.flowId, state, outputs: mayRead ? outputs : {} },
        scope: { outputs: mayRead ? taskOutputs : {} },
      });
      if (started.created) this.logger.info({ upstream: upstream.id, state, started: started.execution.id, flow: `${declared.namespace}.${declared.flowId}` }, 'flow trigger fired');
    } catch (error) {
      // A downstream flow whose inputs no longer fit must not stop every other trigger.
      this.logger.warn({ err: error, upstream: upstream.id, flow: `${declared.namespace}.${declared.flowId}` }, 'flow trigger could not start its execution');
    }
  }

  private async applyStopAfter(origin: { namespace: string; flowId: string; trigger?: { type?: string; id?: string } }, state: State): Promise<void> {
    const triggerId = origin.trigger?.id;
    if (!triggerId) return;
    const declared = this.index.find(origin.namespace, origin.flowId)?.triggers.find((t) => t.id === triggerId);
    if ((declared?.kind !== 'Schedule' && declared?.kind !== 'Http') || !declared.stopAfter.includes(state)) return;
    await this.states.setEnabled({ namespace: origin.namespace, flowId: origin.flowId, triggerId }, false);
    this.logger.info({ flow: `${origin.namespace}.${origin.flowId}`, trigger: triggerId, state }, `${declared.kind === 'Http' ? 'http trigger' : 'schedule'} stopped (stopAfter)`);
  }

  private anyStopAfter(): boolean {
    return this.index.ofKind('Schedule').some((s) => s.trigger.stopAfter.length > 0) || this.index.ofKind('Http').some((h) => h.trigger.stopAfter.length > 0);
  }
}

/** The state an execution event moves to (CREATED is not a transition a Flow trigger sees). */
function stateOf(event: RecordedEvent): State | undefined {
  if (event.type === 'ExecutionStarted') return 'RUNNING';
  if (event.type === 'ExecutionSucceeded') return 'SUCCESS';
  if (event.type === 'ExecutionFailed') return 'FAILED';
  const state = (event.data as { state?: State }).state;
  return state && state !== 'CREATED' ? state : undefined;
}

/** What a trigger's conditions read of the upstream execution. */
function conditionExecutionOf(execution: Execution, state: State): ConditionExecution {
  return {
    id: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    state,
    labels: Object.entries(execution.labels).map(([key, value]) => ({ key, value })),
    ...(execution.outputs ? { outputs: execution.outputs } : {}),
    retriedAttemptStates: execution.taskRuns.filter((run) => run.attempts.length > 1).flatMap((run) => run.attempts.map((attempt) => attempt.state)),
  };
}
