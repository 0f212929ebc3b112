import { flowStatusOf, flowStreamId, FlowValidationError, parseFlow, type FlowDefinition, type FlowEvent, type FlowRevisionDeployed, type FlowStatus, type TaskCatalog } from '@chronicle/domain';
import type { EventStore, RecordedEvent } from '@chronicle/event-store';
import { FlowNotFoundError } from './errors.js';
import type { Subscription } from '@chronicle/event-store';

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
  /** Heads for starts (see cachedHead), by flow stream id; used only while `watch` is live. */
  private readonly heads = new Map<string, FlowHead>();
  /** Bumped by every forget: a head read while a flow changed is not kept (it may predate the change). */
  private forgotten = 0;
  private watching?: FlowStreamWatch;

  /** `taskTypes`: what a flow's task types are (libs/tasks' full catalog); every revision is parsed with it, and the use cases that deploy, start or steer a flow's executions parse and decide with it too. */
  constructor(private readonly store: EventStore, readonly taskTypes: TaskCatalog, private readonly maxCached = 2_000) {}

  private get watch(): FlowStreamWatch {
    return (this.watching ??= new FlowStreamWatch(this.store, (streamId) => this.forgetStream(streamId), () => this.forgetAll()));
  }

  /**
   * The head for starting an execution (a webhook, an API start), kept in memory instead of read
   * on every call. A kept head is dropped when its flow stream changes: at once for a deploy,
   * disable, enable or delete made through this repository (`forget`, called by those use cases
   * after their append), and for other processes' changes when this process's subscription to the
   * flow streams delivers them (woken by the append's NOTIFY). While that subscription is not
   * live (starting, or lost with the store) nothing is kept and every call reads the log.
   * Writers (deploy, life cycle) read `head`: their append expectation must be the log's.
   */
  async cachedHead(namespace: string, flowId: string): Promise<FlowHead | undefined> {
    const stream = flowStreamId(namespace, flowId);
    if (this.watch.live()) {
      const kept = this.heads.get(stream);
      if (kept) return kept;
    }
    const before = this.forgotten;
    const head = await this.head(namespace, flowId);
    if (head && this.watch.live() && before === this.forgotten) {
      if (this.heads.size >= this.maxCached) this.heads.delete(this.heads.keys().next().value!);
      this.heads.set(stream, head);
    }
    return head;
  }

  /** Drops the kept head of a flow this process just changed (the next start reads the log). */
  forget(namespace: string, flowId: string): void {
    this.forgetStream(flowStreamId(namespace, flowId));
  }

  /** Stops following the flow streams (the process is closing). */
  async close(): Promise<void> {
    await this.watching?.close();
    this.forgetAll();
  }

  private forgetStream(streamId: string): void {
    this.forgotten++;
    this.heads.delete(streamId);
  }

  private forgetAll(): void {
    this.forgotten++;
    this.heads.clear();
  }

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

/** How long a lost subscription to the flow streams waits before subscribing again (nothing is kept meanwhile). */
const WATCH_RETRY_MS = 1_000;

/** What every flow stream id starts with (see flowStreamId). */
const FLOW_STREAMS = flowStreamId('', '').slice(0, -1);

/**
 * The subscription to every flow stream that keeps cached heads true to changes made by other
 * processes. Started by the first question (a process that never starts executions never
 * subscribes), from the log's head position: only changes after it matter, since nothing is
 * kept before it is live. Lost (store down), everything kept is dropped and it subscribes again.
 */
class FlowStreamWatch {
  private state: 'off' | 'starting' | 'live' | 'closed' = 'off';
  private subscription?: Subscription;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly store: EventStore,
    private readonly changed: (streamId: string) => void,
    private readonly lost: () => void,
  ) {}

  /** True when every change to a flow stream committed from now on will reach `changed`; starts watching otherwise. */
  live(): boolean {
    if (this.state === 'off') void this.start();
    return this.state === 'live';
  }

  async close(): Promise<void> {
    this.state = 'closed';
    clearTimeout(this.retry);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close().catch(() => undefined);
  }

  private async start(): Promise<void> {
    this.state = 'starting';
    try {
      const after = await this.store.headPosition();
      if (this.state !== 'starting') return;
      const subscription = this.store.subscribeToAll(
        { ...(after !== undefined ? { after } : {}), filter: { streamPrefixes: [FLOW_STREAMS] } },
        async (events) => {
          for (const event of events) this.changed(event.streamId);
        },
        { onError: () => this.fail(subscription) },
      );
      this.subscription = subscription;
      await subscription.caughtUp;
      if (this.subscription === subscription && this.state === 'starting') this.state = 'live';
    } catch {
      this.fail(this.subscription);
    }
  }

  private fail(subscription: Subscription | undefined): void {
    if (this.state === 'closed' || subscription !== this.subscription) return;
    this.state = 'starting';
    this.subscription = undefined;
    this.lost();
    void subscription?.close().catch(() => undefined);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (this.state === 'starting') void this.start();
    }, WATCH_RETRY_MS);
    this.retry.unref?.();
  }
}

const key = (namespace: string, flowId: string, revision: number) => `${namespace}\u0000${flowId}\u0000${revision}`;
