import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { toDomainEvent } from '@chronicle/contracts';
import { evolve, executionStreamId, type ExecutionState, type State, ExecutionNotFoundError } from '@chronicle/domain';
import { toExecutionView, type ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { EVENT_STORE, READ_MODEL } from '../gateway.tokens.js';
import { ExecutionReader } from '../reads/execution-reader.js';
import { SecretMasking } from '../secrets/secret-masking.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { ExecutionConnectionType, ExecutionEventType, ExecutionType, LogConnectionType, LogEntryType } from './execution.types.js';
import { createLoaders } from './loaders.js';
import { toExecutionEventType, toExecutionType, toLogConnection, toLogEntryType } from './mappers.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';
import { StateEnum } from './state.enum.js';
import type { EventStore } from '@chronicle/event-store';

const MAX_PAGE = 500;
const MAX_LOG_PAGE = 1_000;

/** Reads of executions: the read model for lists and current state, the event store for history. */
@Resolver(() => ExecutionType)
export class ExecutionResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(SecretMasking) private readonly secrets: SecretMasking,
    @Inject(ExecutionReader) private readonly reader: ExecutionReader,
  ) {}

  @Query(() => ExecutionType, {
    nullable: true,
    description: 'Read-your-writes: answered from the event log when the read model has not caught up, never older than minRevision (the revision a mutation answered). Lists (executions) may lag.',
  })
  async execution(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('minRevision', { type: () => Int, nullable: true, description: 'Answer at this stream revision or later (waits briefly; BAD_USER_INPUT when it is not written).' }) minRevision?: number,
  ): Promise<ExecutionType | null> {
    const principal = this.access.require(ctx.principal, 'read', EACH_RESULT);
    const execution = await this.reader.get(id, minRevision ?? undefined);
    if (!execution || !this.access.allows(principal, 'read', execution.namespace)) return null;
    return toExecutionType(execution);
  }

  @Query(() => ExecutionConnectionType, { description: 'Newest first; Relay cursor pagination, stable while executions are added. Read from the read model: may lag the log briefly (read one execution by id for read-your-writes).' })
  async executions(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String, nullable: true, description: 'This namespace and its children.' }) namespace?: string,
    @Args('flowId', { type: () => String, nullable: true }) flowId?: string,
    @Args('state', { type: () => [StateEnum], nullable: true }) state?: string[],
    @Args('labels', { type: () => JSONScalar, nullable: true, description: 'Executions whose labels contain all of these, e.g. {"team":"data"}.' }) labels?: unknown,
    @Args('startDate', { type: () => DateTimeScalar, nullable: true, description: 'Started at or after.' }) startDate?: Date | string,
    @Args('endDate', { type: () => DateTimeScalar, nullable: true, description: 'Started at or before.' }) endDate?: Date | string,
    @Args('parentId', { type: () => ID, nullable: true }) parentId?: string,
    @Args('originalId', { type: () => ID, nullable: true }) originalId?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('mode', { type: () => String, nullable: true, description: 'PRODUCTIVE (default; ALL with parentId or originalId), DEVELOPMENT or ALL.' }) mode?: string,
  ): Promise<ExecutionConnectionType> {
    const principal = this.access.require(ctx.principal, 'read', namespace ? { namespace } : EACH_RESULT);
    const size = first ?? 50;
    if (size < 0 || size > MAX_PAGE) throw new BadUserInputError(`first must be between 0 and ${MAX_PAGE}`);
    if (labels !== undefined && labels !== null && (typeof labels !== 'object' || Array.isArray(labels) || Object.values(labels).some((v) => typeof v !== 'string'))) {
      throw new BadUserInputError('labels must be an object of label names to string values');
    }
    if (mode != null && !['PRODUCTIVE', 'DEVELOPMENT', 'ALL'].includes(mode)) throw new BadUserInputError(`mode must be PRODUCTIVE, DEVELOPMENT or ALL, got ${mode}`);
    const page = await this.readModel.listExecutions({
      ...(mode != null ? { mode: mode as 'PRODUCTIVE' | 'DEVELOPMENT' | 'ALL' } : {}),
      namespace: namespace ?? undefined,
      // A namespace-limited caller lists only its namespaces.
      namespaces: namespace ? undefined : principal.namespaces,
      flowId: flowId ?? undefined,
      states: (state ?? undefined) as State[] | undefined,
      labels: (labels ?? undefined) as Record<string, string> | undefined,
      startDate: iso(startDate),
      endDate: iso(endDate),
      parentId: parentId ?? undefined,
      originalId: originalId ?? undefined,
      first: size,
      after: after ?? undefined,
    });
    return {
      edges: page.nodes.map((node) => ({ node: toExecutionType(node), cursor: node.cursor })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      totalCount: page.totalCount,
    };
  }

  @Query(() => [ExecutionEventType], { description: 'Every event of the execution, read from the event store (the source of truth).' })
  async executionHistory(@Context() ctx: GraphQLRequestContext, @Args('id', { type: () => ID }) id: string): Promise<ExecutionEventType[]> {
    this.access.require(ctx.principal, 'read', EACH_RESULT);
    const events = await this.store.readStream(executionStreamId(id));
    if (events.length === 0) throw new ExecutionNotFoundError(id);
    this.requireNamespace(ctx, (events[0]!.data as { namespace: string }).namespace, id);
    return events.map(toExecutionEventType);
  }

  @Query(() => ExecutionType, { nullable: true, description: 'The execution as it was right after the event at this stream revision (time travel).' })
  async executionAt(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('revision', { type: () => Int }) revision: number,
  ): Promise<ExecutionType | null> {
    this.access.require(ctx.principal, 'read', EACH_RESULT);
    if (revision < 0) throw new BadUserInputError('revision must be 0 or more');
    const events = await this.store.readStream(executionStreamId(id), { maxCount: revision + 1 });
    if (events.length === 0) return null;
    this.requireNamespace(ctx, (events[0]!.data as { namespace: string }).namespace, id);
    if (events.length <= revision) throw new BadUserInputError(`execution ${id} has only revisions 0..${events.length - 1}`);
    let state: ExecutionState = undefined;
    for (const event of events) state = evolve(state, toDomainEvent(event));
    return toExecutionType(toExecutionView(state!));
  }

  @Query(() => [LogEntryType], { description: 'Every log line of the execution, in arrival order (see Execution.logs for pages).' })
  async logs(
    @Context() ctx: GraphQLRequestContext,
    @Args('executionId', { type: () => ID }) executionId: string,
    @Args('level', { type: () => String, nullable: true, description: 'The lowest level shown: TRACE, DEBUG, INFO, WARN or ERROR.' }) level?: string,
  ): Promise<LogEntryType[]> {
    this.access.require(ctx.principal, 'read', EACH_RESULT);
    // Authorized before any wait: another namespace's execution answers at once, as a missing one.
    // (Without a stream in the log, `projected` answers the read model's row at once.)
    const seen = (await this.reader.get(executionId)) ?? (await this.reader.projected(executionId));
    if (!seen) return [];
    this.requireNamespace(ctx, seen.namespace, executionId);
    // Once the read model holds what the log does: the lines stored with the rows come with it.
    const execution = (await this.reader.projected(executionId)) ?? seen;
    this.secrets.remember(ctx, execution);
    return (await this.readModel.getLogs(executionId, level ?? undefined)).map(toLogEntryType);
  }

  @ResolveField('logs', () => LogConnectionType, { description: 'A page of this execution\'s log lines; batched across a page of executions.' })
  async executionLogs(
    @Context() ctx: GraphQLRequestContext,
    @Parent() execution: ExecutionType,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('level', { type: () => String, nullable: true, description: 'The lowest level shown: TRACE, DEBUG, INFO, WARN or ERROR.' }) level?: string,
  ): Promise<LogConnectionType> {
    const size = first ?? 100;
    if (size < 0 || size > MAX_LOG_PAGE) throw new BadUserInputError(`first must be between 0 and ${MAX_LOG_PAGE}`);
    this.secrets.remember(ctx, execution);
    const loaders = ctx.loaders ?? createLoaders(this.readModel);
    const page = await loaders.logPages.load({ executionId: execution.id, first: size, after: after ?? undefined, minLevel: level ?? undefined });
    return toLogConnection(page);
  }

  /** A namespace-limited caller sees nothing of other namespaces: NOT_FOUND, not FORBIDDEN, so ids do not leak. */
  private requireNamespace(ctx: GraphQLRequestContext, namespace: string, id: string): void {
    if (!this.access.allows(ctx.principal!, 'read', namespace)) throw new ExecutionNotFoundError(id);
  }
}

const iso = (value: Date | string | null | undefined): string | undefined =>
  value === null || value === undefined ? undefined : value instanceof Date ? value.toISOString() : value;
