import { parseFlow, type FlowRevisionDeployed, type TaskCatalog } from '@chronicle/domain';
import type { FlowTriggersIndex } from '@chronicle/use-cases';
import { resilientSubscription } from '@chronicle/composition';
import type { EventStore, Subscription } from '@chronicle/event-store';
import type { Logger } from '@chronicle/runtime';

/**
 * Keeps the trigger index equal to the flows in the log: follows every `flow-*` stream from the
 * start (flows are few; EventStoreDB filters server-side) and calls `onChange` after each batch with
 * the position of its last event.
 */
export class FlowStreamFollower {
  private subscription?: Subscription;

  constructor(
    private readonly store: EventStore,
    private readonly index: FlowTriggersIndex,
    /** What the flows' task types are (the flow repository's catalog). */
    private readonly taskTypes: TaskCatalog,
    private readonly logger: Logger,
    private readonly onChange: (position: bigint) => void,
  ) {}

  /** Resolves once every flow that existed at start is indexed. */
  async start(): Promise<void> {
    this.subscription = resilientSubscription(this.store, { filter: { streamPrefixes: ['flow-'] }, batchSize: 500 }, async (events) => {
      for (const event of events) {
        const data = event.data as Partial<FlowRevisionDeployed['data']> & { namespace?: string; flowId?: string };
        try {
          if (event.type === 'FlowRevisionDeployed') this.index.deployed(parseFlow(data.source!, this.taskTypes, data.revision!));
          else if (event.type === 'FlowDisabled') this.index.setFlowDisabled(data.namespace!, data.flowId!, true);
          else if (event.type === 'FlowEnabled') this.index.setFlowDisabled(data.namespace!, data.flowId!, false);
          else if (event.type === 'FlowDeleted') this.index.deleted(data.namespace!, data.flowId!);
        } catch (error) {
          this.logger.warn({ stream: event.streamId, err: error }, 'flow event not indexed for triggers');
        }
      }
      this.onChange(events[events.length - 1]!.position);
    }, { logger: this.logger, name: 'flow trigger index' });
    await this.subscription.caughtUp;
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
  }
}
