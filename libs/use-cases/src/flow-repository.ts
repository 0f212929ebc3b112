import { flowStatusOf, flowStreamId, FlowValidationError, parseFlow, type FlowDefinition, type FlowEvent, type FlowRevisionDeployed, type FlowStatus, type TaskCatalog } from '@chronicle/domain';
import type { EventStore, RecordedEvent } from '@chronicle/event-store';
import { FlowNotFoundError } from './errors.js';

export interface StoredFlow {
  readonly definition: FlowDefinition;
  readonly source: string;
  readonly revision: number;
  /** Stream revision of this revision's FlowRevisionDeployed event. */
  readonly streamRevision: bigint;
}

/** The newest revision of a flow, its status, and the stream's head (the append expectation). */
export interface FlowHead {
  readonly latest: StoredFlow;
  readonly status: FlowStatus;
  readonly streamRevision: bigint;
}

const BACKWARDS_PAGE = 16;

/**
 * Flow revisions read from the event store, the source of truth (the read model may
 * lag a deploy by a few milliseconds; execution creation must not). A revision never
 * changes once written, so revisions are cached for good; "latest" is always read.
 * The stream also holds life-cycle events (disabled, enabled, deleted): revision N is not
 * stream revision N-1 once one of those was written.
 */
export class FlowRepository {
  private readonly revisions = new Map<string, StoredFlow>();

  /** `taskTypes`: what a flow's task types are (libs/tasks' full catalog); every revision is parsed with it, and the use cases that deploy, start or steer a flow's executions parse and decide with it too. */
  constructor(private readonly store: EventStore, readonly taskTypes: TaskCatalog, private readonly maxCached = 2_000) {}

  /** The newest revision, even of a deleted or disabled flow (see `head` for the status). */
  async latest(namespace: string, flowId: string): Promise<StoredFlow | undefined> {
    return (await this.head(namespace, flowId))?.latest;
  }

  /** Reads backwards down to the newest deploy: usually one event. */
  async head(namespace: string, flowId: string): Promise<FlowHead | undefined> {
    const stream = flowStreamId(namespace, flowId);
    const newestFirst: RecordedEvent[] = [];
    let from: bigint | undefined;
    for (;;) {
      const page = await this.store.readStream(stream, { direction: 'backwards', maxCount: BACKWARDS_PAGE, ...(from !== undefined ? { fromRevision: from } : {}) });
      newestFirst.push(...page);
      const deployed = page.find((e) => e.type === 'FlowRevisionDeployed');
      if (deployed) {
        return {
          latest: this.remember(namespace, flowId, deployed),
          status: flowStatusOf(newestFirst.map((e) => ({ type: e.type, data: e.data }) as FlowEvent)),
          streamRevision: newestFirst[0]!.revision,
        };
      }
      const oldest = page[page.length - 1];
      if (page.length < BACKWARDS_PAGE || !oldest || oldest.revision === 0n) return undefined;
      from = oldest.revision - 1n;
    }
  }

  async revision(namespace: string, flowId: string, revision: number): Promise<StoredFlow | undefined> {
    const cached = this.revisions.get(key(namespace, flowId, revision));
    if (cached) return cached;
    if (!Number.isInteger(revision) || revision < 1) return undefined;
    // Revision N sits at stream revision N-1 or later (life-cycle events push it further).
    let from = BigInt(revision - 1);
    for (;;) {
      const page = await this.store.readStream(flowStreamId(namespace, flowId), { fromRevision: from, maxCount: BACKWARDS_PAGE });
      for (const event of page) {
        if (event.type !== 'FlowRevisionDeployed') continue;
        const deployed = (event.data as FlowRevisionDeployed['data']).revision;
        if (deployed === revision) return this.remember(namespace, flowId, event);
        if (deployed > revision) return undefined;
      }
      if (page.length < BACKWARDS_PAGE) return undefined;
      from = page[page.length - 1]!.revision + 1n;
    }
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
      definition: definitionOf(data, this.taskTypes),
      source: data.source,
      revision: data.revision,
      streamRevision: event.revision,
    };
    if (this.revisions.size >= this.maxCached) this.revisions.delete(this.revisions.keys().next().value!);
    this.revisions.set(k, stored);
    return stored;
  }
}

/**
 * The revision's definition, parsed again (the source is the truth); a revision deployed under
 * older, laxer rules that the parser now refuses still runs as it was deployed (its stored definition).
 */
const definitionOf = (data: FlowRevisionDeployed['data'], taskTypes: TaskCatalog): FlowDefinition => {
  try {
    return parseFlow(data.source, taskTypes, data.revision);
  } catch (error) {
    if (error instanceof FlowValidationError && data.definition !== undefined) return data.definition;
    throw error;
  }
};

const key = (namespace: string, flowId: string, revision: number) => `${namespace}\u0000${flowId}\u0000${revision}`;
