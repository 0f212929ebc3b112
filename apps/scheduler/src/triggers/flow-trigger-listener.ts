import { executionStreamId, flowTriggerMatches, isTerminal, mayStartFlowIn, type JsonObject, type NamespaceAllowRule, type State } from '@chronicle/domain';
import { startTriggeredExecution, type CreateExecutionDeps, type FlowTriggersIndex } from '@chronicle/use-cases';
import type { CheckpointStore, TriggerStateStore } from '@chronicle/stores';
import { resilientSubscription } from '@chronicle/composition';
import type { EventStore, RecordedEvent, Subscription } from '@chronicle/event-store';
import type { Logger } from '@chronicle/runtime';

export const FLOW_TRIGGER_CHECKPOINT = 'scheduler-flow-triggers';
const ENDING_EVENTS = ['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionStateChanged'];

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
    /** Told of every execution that ended (admission control frees its slot). */
    private readonly onEnded?: (executionId: string) => void,
  ) {}

  async start(): Promise<void> {
    const after = await this.checkpoints.load(FLOW_TRIGGER_CHECKPOINT) ?? (await this.store.headPosition());
    this.subscription = resilientSubscription(this.store, { after, filter: { streamPrefixes: ['execution-'], eventTypes: ENDING_EVENTS }, batchSize: 200 }, async (events) => {
      for (const event of events) await this.onEvent(event);
      await this.checkpoints.save(FLOW_TRIGGER_CHECKPOINT, events[events.length - 1]!.position);
    }, { logger: this.logger, name: 'flow triggers' });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.checkpoints.flush?.();
  }

  private async onEvent(event: RecordedEvent): Promise<void> {
    const state = endState(event);
    if (!state) return;
    this.onEnded?.(event.streamId.slice('execution-'.length));
    // Most ends concern nobody: without a Flow trigger or a Schedule's stopAfter anywhere, the
    // stream's first event is not read (one read per execution saved on the hot path).
    const flowTriggers = this.index.ofKind('Flow');
    if (flowTriggers.length === 0 && !this.index.ofKind('Schedule').some((s) => s.trigger.stopAfter.length > 0)) return;
    const executionId = event.streamId.slice('execution-'.length);
    const [created] = await this.store.readStream(executionStreamId(executionId), { maxCount: 1 });
    const origin = created?.data as { namespace: string; flowId: string; trigger?: { type?: string; id?: string } } | undefined;
    if (!origin) return;
    // A development run has no side effects downstream: no flow trigger fires, no stopAfter applies.
    if ((origin as { options?: { mode?: string } }).options?.mode === 'DEVELOPMENT') return;
    const outputs = (event.data as { outputs?: JsonObject }).outputs ?? {};
    await this.applyStopAfter(origin, state);
    for (const declared of flowTriggers) {
      if (!flowTriggerMatches(declared.trigger, { namespace: origin.namespace, flowId: origin.flowId, state })) continue;
      try {
        const started = await startTriggeredExecution(this.deps, {
          namespace: declared.namespace,
          flowId: declared.flowId,
          trigger: declared.trigger,
          idempotencyKey: `flow:${declared.trigger.id}:${executionId}`,
          // Another namespace's execution may trigger this flow (as in Kestra), but its outputs are its
          // data: they cross only where a Subflow could reach (same namespace, children, allowed).
          variables: { executionId, namespace: origin.namespace, flowId: origin.flowId, state, outputs: mayStartFlowIn(declared.namespace, origin.namespace, this.namespaceAllow) ? outputs : {} },
        });
        if (started.created) this.logger.info({ upstream: executionId, state, started: started.execution.id, flow: `${declared.namespace}.${declared.flowId}` }, 'flow trigger fired');
      } catch (error) {
        // A downstream flow whose inputs no longer fit must not stop every other trigger.
        this.logger.warn({ err: error, upstream: executionId, flow: `${declared.namespace}.${declared.flowId}` }, 'flow trigger could not start its execution');
      }
    }
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

function endState(event: RecordedEvent): State | undefined {
  if (event.type === 'ExecutionSucceeded') return 'SUCCESS';
  if (event.type === 'ExecutionFailed') return 'FAILED';
  const state = (event.data as { state?: State }).state;
  return state && isTerminal(state) ? state : undefined;
}
