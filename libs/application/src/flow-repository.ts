import { flowStreamId, parseFlow, type FlowDefinition, type FlowRevisionDeployed } from '@chronicle/domain';
import type { EventStore, RecordedEvent } from '@chronicle/event-store';
import { FlowNotFoundError } from './errors.js';

export interface StoredFlow {
  readonly definition: FlowDefinition;
  readonly source: string;
  readonly revision: number;
  /** Stream revision of the flow stream (revision - 1). */
  readonly streamRevision: bigint;
}

/**
 * Flow revisions read from the event store, the source of truth (the read model may
 * lag a deploy by a few milliseconds; execution creation must not). A revision never
 * changes once written, so revisions are cached for good; "latest" is always read.
 */
export class FlowRepository {
  private readonly revisions = new Map<string, StoredFlow>();

  constructor(private readonly store: EventStore, private readonly maxCached = 2_000) {}

  async latest(namespace: string, flowId: string): Promise<StoredFlow | undefined> {
    const [last] = await this.store.readStream(flowStreamId(namespace, flowId), { direction: 'backwards', maxCount: 1 });
    return last ? this.remember(namespace, flowId, last) : undefined;
  }

  async revision(namespace: string, flowId: string, revision: number): Promise<StoredFlow | undefined> {
    const cached = this.revisions.get(key(namespace, flowId, revision));
    if (cached) return cached;
    if (!Number.isInteger(revision) || revision < 1) return undefined;
    const [event] = await this.store.readStream(flowStreamId(namespace, flowId), { fromRevision: BigInt(revision - 1), maxCount: 1 });
    return event ? this.remember(namespace, flowId, event) : undefined;
  }

  /** The given revision, or the latest when `revision` is undefined; throws FlowNotFoundError. */
  async require(namespace: string, flowId: string, revision?: number): Promise<StoredFlow> {
    const flow = revision === undefined ? await this.latest(namespace, flowId) : await this.revision(namespace, flowId, revision);
    if (!flow) throw new FlowNotFoundError(namespace, flowId, revision);
    return flow;
  }

  private remember(namespace: string, flowId: string, event: RecordedEvent): StoredFlow {
    const data = (event as RecordedEvent<string, FlowRevisionDeployed['data']>).data;
    const k = key(namespace, flowId, data.revision);
    const cached = this.revisions.get(k);
    if (cached) return cached;
    const stored: StoredFlow = {
      definition: parseFlow(data.source, data.revision),
      source: data.source,
      revision: data.revision,
      streamRevision: event.revision,
    };
    if (this.revisions.size >= this.maxCached) this.revisions.delete(this.revisions.keys().next().value!);
    this.revisions.set(k, stored);
    return stored;
  }
}

const key = (namespace: string, flowId: string, revision: number) => `${namespace}\u0000${flowId}\u0000${revision}`;
