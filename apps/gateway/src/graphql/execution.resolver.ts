import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { createExecution, type Platform } from '@chronicle/application';
import { evolve, executionStreamId, type Execution, type ExecutionState, STATES } from '@chronicle/domain';
import { toDomainEvent } from '@chronicle/application';
import type { ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { BadUserInputError, NotFoundError } from '../errors/api-errors.js';
import { LIVE_UPDATES, PLATFORM, READ_MODEL } from '../gateway.tokens.js';
import { AsyncQueue } from '../live/async-queue.js';
import type { LiveUpdates } from '../live/live-updates.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { ExecutionConnectionType, ExecutionEventType, ExecutionType, LogEntryType } from './execution.types.js';
import { toExecutionEventType, toExecutionType } from './mappers.js';
import { JSONScalar } from './scalars.js';
import { StateEnum } from './state.enum.js';

const MAX_PAGE = 500;

@Resolver(() => ExecutionType)
export class ExecutionResolver {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(LIVE_UPDATES) private readonly live: LiveUpdates,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Query(() => ExecutionType, { nullable: true })
  async execution(@Context() ctx: GraphQLRequestContext, @Args('id', { type: () => ID }) id: string): Promise<ExecutionType | null> {
    const principal = this.access.require(ctx.principal, 'read');
    const execution = await this.readModel.getExecution(id);
    if (!execution || !this.access.allows(principal, 'read', execution.namespace)) return null;
    return toExecutionType(execution);
  }

  @Query(() => ExecutionConnectionType, { description: 'Newest first; Relay cursor pagination.' })
  async executions(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String, nullable: true }) namespace?: string,
    @Args('flowId', { type: () => String, nullable: true }) flowId?: string,
    @Args('state', { type: () => [StateEnum], nullable: true }) state?: string[],
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<ExecutionConnectionType> {
    this.access.require(ctx.principal, 'read', namespace);
    const size = first ?? 50;
    if (size < 0 || size > MAX_PAGE) throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE}`);
    const page = await this.readModel.listExecutions({ namespace, flowId, states: state as (typeof STATES)[number][] | undefined, first: size, after });
    return {
      edges: page.nodes.map((node) => ({ node: toExecutionType(node), cursor: node.cursor })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      totalCount: page.totalCount,
    };
  }

  @Query(() => [ExecutionEventType], { description: 'Every event of the execution, read from the event store (the source of truth).' })
  async executionHistory(@Context() ctx: GraphQLRequestContext, @Args('id', { type: () => ID }) id: string): Promise<ExecutionEventType[]> {
    this.access.require(ctx.principal, 'read');
    const events = await this.platform.store.readStream(executionStreamId(id));
    if (events.length === 0) throw new NotFoundError(`execution ${id} does not exist`);
    this.access.require(ctx.principal, 'read', (events[0]!.data as { namespace: string }).namespace);
    return events.map(toExecutionEventType);
  }

  @Query(() => ExecutionType, { nullable: true, description: 'The execution as it was right after the event at this stream revision (time travel).' })
  async executionAt(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('revision', { type: () => Int }) revision: number,
  ): Promise<ExecutionType | null> {
    this.access.require(ctx.principal, 'read');
    if (revision < 0) throw new BadUserInputError('revision must be 0 or more');
    const events = await this.platform.store.readStream(executionStreamId(id), { maxCount: revision + 1 });
    if (events.length === 0) return null;
    if (events.length <= revision) throw new BadUserInputError(`execution ${id} has only revisions 0..${events.length - 1}`);
    let state: ExecutionState = undefined;
    for (const event of events) state = evolve(state, toDomainEvent(event));
    this.access.require(ctx.principal, 'read', state!.namespace);
    return toExecutionType(state!);
  }

  @Query(() => [LogEntryType])
  async logs(@Context() ctx: GraphQLRequestContext, @Args('executionId', { type: () => ID }) executionId: string): Promise<LogEntryType[]> {
    this.access.require(ctx.principal, 'read');
    return (await this.readModel.getLogs(executionId)) as LogEntryType[];
  }

  @Mutation(() => ExecutionType, { description: 'Starts an execution of the latest (or the given) flow revision.' })
  async createExecution(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String }) namespace: string,
    @Args('flowId', { type: () => String }) flowId: string,
    @Args('inputs', { type: () => JSONScalar, nullable: true }) inputs?: Record<string, unknown>,
    @Args('labels', { type: () => JSONScalar, nullable: true }) labels?: Record<string, string>,
    @Args('revision', { type: () => Int, nullable: true }) revision?: number,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey?: string,
  ): Promise<ExecutionType> {
    const principal = this.access.require(ctx.principal, 'execute', namespace);
    if (inputs !== undefined && inputs !== null && (typeof inputs !== 'object' || Array.isArray(inputs))) throw new BadUserInputError('inputs must be an object of input ids to values');
    if (labels !== undefined && labels !== null && (typeof labels !== 'object' || Array.isArray(labels))) throw new BadUserInputError('labels must be an object of names to strings');
    const { execution } = await createExecution(this.platform, {
      namespace,
      flowId,
      revision: revision ?? undefined,
      inputs: inputs ?? {},
      labels: labels ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) : undefined,
      idempotencyKey: idempotencyKey ?? undefined,
      actor: principal.name,
    });
    return toExecutionType(execution);
  }

  @Subscription(() => ExecutionType, {
    description: 'The execution now, then every change to it, in order.',
    resolve: (payload: Execution) => toExecutionType(payload),
  })
  async executionUpdated(@Context() ctx: GraphQLRequestContext, @Args('id', { type: () => ID }) id: string): Promise<AsyncIterableIterator<Execution>> {
    const principal = this.access.require(ctx.principal, 'read');
    let lastRevision = -1;
    const queue = new AsyncQueue<Execution>(() => stop());
    // Listen first, then read the current state: nothing can fall between the two.
    const stop = this.live.onExecution(id, (update) => {
      if (update.kind !== 'execution' || update.revision <= lastRevision) return;
      lastRevision = update.revision;
      queue.push(update.execution);
    });
    const current = await this.readModel.getExecution(id);
    if (current && current.revision > lastRevision) {
      this.access.require(principal, 'read', current.namespace);
      lastRevision = current.revision;
      queue.push(current as unknown as Execution);
    }
    return queue;
  }

  @Subscription(() => ExecutionType, {
    description: 'Every change to any execution, optionally of one namespace (and its children) or one flow.',
    resolve: (payload: Execution) => toExecutionType(payload),
  })
  executionsChanged(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String, nullable: true }) namespace?: string,
    @Args('flowId', { type: () => String, nullable: true }) flowId?: string,
  ): AsyncIterableIterator<Execution> {
    const principal = this.access.require(ctx.principal, 'read', namespace);
    const queue = new AsyncQueue<Execution>(() => stop());
    const stop = this.live.onAny((update) => {
      if (update.kind !== 'execution') return;
      if (namespace && update.namespace !== namespace && !update.namespace.startsWith(`${namespace}.`)) return;
      if (flowId && update.flowId !== flowId) return;
      if (!this.access.allows(principal, 'read', update.namespace)) return;
      queue.push(update.execution);
    });
    return queue;
  }
}
