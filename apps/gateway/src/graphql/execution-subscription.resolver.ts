import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Resolver, Subscription } from '@nestjs/graphql';
import type { EventStore } from '@chronicle/event-store';
import { executionStreamId, ExecutionNotFoundError } from '@chronicle/domain';
import type { ExecutionView, LogView, ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import { EVENT_STORE, LIVE_UPDATES, READ_MODEL } from '../gateway.tokens.js';
import { AsyncQueue } from '../live/async-queue.js';
import { executionEventFeed, executionLogFeed, executionStateFeed, type FeedDeps, type FeedEvent } from '../live/execution-feeds.js';
import type { LiveUpdates } from '../live/live-updates.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { ExecutionEventType, ExecutionType, LogEntryType } from './execution.types.js';
import { toExecutionType, toLogEntryType } from './mappers.js';

/**
 * Live views of executions over graphql-ws. Updates travel projection -> bus -> every gateway
 * -> subscribers; a client that reconnects passes the last revision (or log id) it saw and
 * first receives what it missed, read from the store, then live updates: in order, each once.
 */
@Resolver(() => ExecutionType)
export class ExecutionSubscriptionResolver {
  private readonly feeds: FeedDeps;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(LIVE_UPDATES) private readonly live: LiveUpdates,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {
    this.feeds = { store, live, readModel };
  }

  @Subscription(() => ExecutionType, {
    description: 'The execution now (or every state since afterRevision), then every change to it, in order.',
    resolve: (payload: ExecutionView) => toExecutionType(payload),
  })
  async executionUpdated(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('afterRevision', { type: () => Int, nullable: true, description: 'The last revision this client saw.' }) afterRevision?: number,
  ): Promise<AsyncIterableIterator<ExecutionView>> {
    const principal = this.access.require(ctx.principal, 'read', EACH_RESULT);
    await this.requireReadable(principal, id);
    return executionStateFeed(this.feeds, id, afterRevision ?? undefined).queue;
  }

  @Subscription(() => ExecutionEventType, {
    description: 'Every event of the execution after afterRevision (from the first when omitted), then live ones, in order, each once.',
    resolve: (payload: FeedEvent) => payload,
  })
  async executionEvents(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('afterRevision', { type: () => Int, nullable: true, description: 'The last revision this client saw.' }) afterRevision?: number,
  ): Promise<AsyncIterableIterator<FeedEvent>> {
    const principal = this.access.require(ctx.principal, 'read', EACH_RESULT);
    await this.requireReadable(principal, id);
    return executionEventFeed(this.feeds, id, afterRevision ?? -1).queue;
  }

  @Subscription(() => LogEntryType, {
    description: 'The execution\'s log lines after the line `after` (all when omitted), then live ones.',
    resolve: (payload: LogView) => toLogEntryType(payload),
  })
  async executionLogs(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('after', { type: () => ID, nullable: true, description: 'The id of the last line this client saw.' }) after?: string,
  ): Promise<AsyncIterableIterator<LogView>> {
    const principal = this.access.require(ctx.principal, 'read', EACH_RESULT);
    await this.requireReadable(principal, id);
    return executionLogFeed(this.feeds, id, after ?? undefined).queue;
  }

  @Subscription(() => ExecutionType, {
    description: 'Every change to any execution, optionally of one namespace (and its children) or one flow.',
    resolve: (payload: ExecutionView) => toExecutionType(payload),
  })
  executionsChanged(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String, nullable: true }) namespace?: string,
    @Args('flowId', { type: () => String, nullable: true }) flowId?: string,
  ): AsyncIterableIterator<ExecutionView> {
    const principal = this.access.require(ctx.principal, 'read', namespace ? { namespace } : EACH_RESULT);
    const queue = new AsyncQueue<ExecutionView>(() => stop());
    const stop = this.live.onAny((update) => {
      if (update.kind !== 'execution') return;
      if (namespace && update.namespace !== namespace && !update.namespace.startsWith(`${namespace}.`)) return;
      if (flowId && update.flowId !== flowId) return;
      if (!this.access.allows(principal, 'read', update.namespace)) return;
      queue.push(update.view);
    });
    return queue;
  }

  /** The execution must exist and be in the caller's namespaces (NOT_FOUND otherwise: ids do not leak). */
  private async requireReadable(principal: Principal, id: string): Promise<void> {
    const execution = await this.readModel.getExecution(id);
    if (execution && this.access.allows(principal, 'read', execution.namespace)) return;
    // The read model may lag a creation by a few milliseconds: the store is the truth.
    const fresh = await this.feeds.store.readStream(executionStreamId(id), { maxCount: 1 });
    const namespace = (fresh[0]?.data as { namespace?: string } | undefined)?.namespace;
    if (namespace === undefined || !this.access.allows(principal, 'read', namespace)) throw new ExecutionNotFoundError(id);
  }
}
