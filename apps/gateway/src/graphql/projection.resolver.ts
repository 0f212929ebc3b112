import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT, GLOBAL } from '../auth/authorization.js';
import { CLOCK, EVENT_STORE, READ_MODEL } from '../gateway.tokens.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { projectionStatus } from './projection-status.js';
import { ProjectionRebuildType, ProjectionStatusType } from './projection.types.js';
import type { EventStore } from '@chronicle/event-store';
import type { Clock } from '@chronicle/runtime';

@Resolver(() => ProjectionStatusType)
export class ProjectionResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Query(() => [ProjectionStatusType], { description: 'Every read-model projection: checkpoint, head of the log, lag and state, and its latest rebuild.' })
  async projections(@Context() ctx: GraphQLRequestContext): Promise<ProjectionStatusType[]> {
    // Checkpoints and lag tell nothing of any namespace's data: every reader may see them.
    this.access.require(ctx.principal, 'read', EACH_RESULT);
    const [checkpoints, rebuilds] = await Promise.all([this.readModel.projectionCheckpoints(), this.readModel.projectionRebuilds()]);
    const statuses = await Promise.all(checkpoints.map((c) => projectionStatus(this.store, c, this.clock.now())));
    return statuses.map((status) => ({ ...status, rebuild: rebuilds.find((r) => r.name === status.name) }));
  }

  @Mutation(() => ProjectionRebuildType, {
    description: 'ADMIN. Replays the whole log into shadow tables while the live ones keep serving, then swaps them in atomically. '
      + 'Runs in the projection service; resumable after a crash; follow it in `projections { rebuild }`. A rebuild already under way is answered as it is.',
  })
  async rebuildProjection(
    @Context() ctx: GraphQLRequestContext,
    @Args('name', { type: () => String, nullable: true, defaultValue: 'executions' }) name?: string,
  ): Promise<ProjectionRebuildType> {
    const principal = this.access.require(ctx.principal, 'admin', GLOBAL);
    return this.readModel.requestProjectionRebuild(name ?? 'executions', principal.name);
  }
}
