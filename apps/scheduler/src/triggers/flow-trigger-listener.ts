import { executionStreamId, flowTriggerMatches, foldExecution, isTerminal, mayStartFlowIn, outputsTree, type JsonObject, type NamespaceAllowRule, type State } from '@chronicle/domain';
import { startTriggeredExecution, type CreateExecutionDeps, type FlowTriggersIndex } from '@chronicle/use-cases';
import type { CheckpointStore, TriggerStateStore } from '@chronicle/stores';
import { resilientSubscription } from '@chronicle/composition';
import { toDomainEvent } from '@chronicle/contracts';
import type { EventStore, RecordedEvent, Subscription } from '@chronicle/event-store';
import type { Logger } from '@chronicle/runtime';

export const FLOW_TRIGGER_CHECKPOINT = 'scheduler-flow-triggers';
const TRANSITION_EVENTS = ['ExecutionStarted', 'ExecutionSucceeded', 'ExecutionFailed', 'ExecutionStateChanged'];

/**
 * Reacts to executions that end: starts the flows whose `Flow` triggers match (upstream
 * namespace, flow id, end state) with `trigger.executionId/state/outputs`, and disables a
 * Schedule whose `stopAfter` lists the state its execution ended in. Checkpointed; each start
 * is idempotent on (trigger, upstream execution), so a replay after a crash starts nothing twice.
 */
export class FlowTriggerListener {
  private subscription?: Subscription;

  constructor(
    private readonly store: EventStore,
    private readonly index: FlowTriggersIndex,
    private readonly states: TriggerStateStore,
    private readonly checkpoints: CheckpointStore,
    private readonly deps: CreateExecutionDeps,
    private readonly logger: Logger,
    /** CHRONICLE_NAMESPACE_ALLOW: which other namespaces' outputs a Flow trigger may receive. */
    private readonly namespaceAllow: readonly NamespaceAllowRule[] = [],
  ) {}

  async start(): Promise<void> {
    const after = await this.checkpoints.load(FLOW_TRIGGER_CHECKPOINT) ?? (await this.store.headPosition());
    this.subscription = resilientSubscription(this.store, { after, filter: { streamPrefixes: ['execution-'], eventTypes: TRANSITION_EVENTS }, batchSize: 200 }, async (events) => {
      for (const event of events) await this.onEvent(event);
      await this.checkpoints.save(FLOW_TRIGGER_CHECKPOINT, events[events.length - 1]!.position);
    }, { logger: this.logger, name: 'flow triggers' });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
  }

  private async onEvent(event: RecordedEvent): Promise<void> {
    const state = transitionState(event);
    if (!state) return;
    // Most triggers listen to ends only (Kestra's default `states`): skip reading the stream for the rest.
    const ended = isTerminal(state);
    if (!ended && !this.index.ofKind('Flow').some((d) => d.trigger.states?.includes(state))) return;
    const executionId = event.streamId.slice('execution-'.length);
    const [created] = await this.store.readStream(executionStreamId(executionId), { maxCount: 1 });
    const origin = created?.data as { namespace: string; flowId: string; trigger?: { type?: string; id?: string } } | undefined;
    if (!origin) return;
    // A development run has no side effects downstream: no flow trigger fires, no stopAfter applies.
    if ((origin as { options?: { mode?: string } }).options?.mode === 'DEVELOPMENT') return;
    const outputs = (event.data as { outputs?: JsonObject }).outputs ?? {};
    if (ended) await this.applyStopAfter(origin, state);
    let upstreamOutputs: JsonObject | undefined;
    for (const declared of this.index.ofKind('Flow')) {
      if (!flowTriggerMatches(declared.trigger, { namespace: origin.namespace, flowId: origin.flowId, state })) continue;
      const mayRead = mayStartFlowIn(declared.namespace, origin.namespace, this.namespaceAllow);
      try {
        // Kestra renders a Flow trigger's inputs in the upstream execution's context: `{{ outputs.task.value }}`.
        if (mayRead && Object.keys(declared.trigger.inputs).length > 0) upstreamOutputs ??= await this.taskOutputs(executionId);
        const started = await startTriggeredExecution(this.deps, {
          namespace: declared.namespace,
          flowId: declared.flowId,
          trigger: declared.trigger,
          // One execution per upstream end; a trigger on RUNNING/PAUSED fires once per such transition.
          idempotencyKey: ended ? `flow:${declared.trigger.id}:${executionId}` : `flow:${declared.trigger.id}:${executionId}:${event.revision}`,
          // Another namespace's execution may trigger this flow (as in Kestra), but its outputs are its
          // data: they cross only where a Subflow could reach (same namespace, children, allowed).
          variables: { executionId, namespace: origin.namespace, flowId: origin.flowId, state, outputs: mayRead ? outputs : {} },
          scope: { outputs: mayRead ? (upstreamOutputs ?? {}) : {} },
        });
        if (started.created) this.logger.info({ upstream: executionId, state, started: started.execution.id, flow: `${declared.namespace}.${declared.flowId}` }, 'flow trigger fired');
      } catch (error) {
        // A downstream flow whose inputs no longer fit must not stop every other trigger.
        this.logger.warn({ err: error, upstream: executionId, flow: `${declared.namespace}.${declared.flowId}` }, 'flow trigger could not start its execution');
      }
    }
  }

  /** The upstream execution's task outputs (Kestra's `outputs.<taskId>`), folded from its stream. */
  private async taskOutputs(executionId: string): Promise<JsonObject> {
    const events = await this.store.readStream(executionStreamId(executionId));
    const execution = foldExecution(events.map(toDomainEvent));
    return execution ? outputsTree(execution) : {};
  }

  private async applyStopAfter(origin: { namespace: string; flowId: string; trigger?: { type?: string; id?: string } }, state: State): Promise<void> {
    const triggerId = origin.trigger?.id;
    if (!triggerId) return;
    const declared = this.index.find(origin.namespace, origin.flowId)?.triggers.find((t) => t.id === triggerId);
    if (declared?.kind !== 'Schedule' || !declared.stopAfter.includes(state)) return;
    await this.states.setEnabled({ namespace: origin.namespace, flowId: origin.flowId, triggerId }, false);
    this.logger.info({ flow: `${origin.namespace}.${origin.flowId}`, trigger: triggerId, state }, 'schedule stopped (stopAfter)');
  }
}

/** The state an execution moved to with this event (Kestra's Flow trigger reacts to transitions). */
function transitionState(event: RecordedEvent): State | undefined {
  if (event.type === 'ExecutionStarted') return 'RUNNING';
  if (event.type === 'ExecutionSucceeded') return 'SUCCESS';
  if (event.type === 'ExecutionFailed') return 'FAILED';
  return (event.data as { state?: State }).state;
}
