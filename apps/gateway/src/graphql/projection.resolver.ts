import { Inject } from '@nestjs/common';
import { Context, Query, Resolver } from '@nestjs/graphql';
import type { Platform } from '@chronicle/application';
import type { ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { PLATFORM, READ_MODEL } from '../gateway.tokens.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { projectionStatus } from './projection-status.js';
import { ProjectionStatusType } from './projection.types.js';

@Resolver(() => ProjectionStatusType)
export class ProjectionResolver {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Query(() => [ProjectionStatusType], { description: 'Every read-model projection: checkpoint, head of the log, lag and state.' })
  async projections(@Context() ctx: GraphQLRequestContext): Promise<ProjectionStatusType[]> {
    this.access.require(ctx.principal, 'read');
    const checkpoints = await this.readModel.projectionCheckpoints();
    return Promise.all(checkpoints.map((c) => projectionStatus(this.platform.store, c, this.platform.clock.now())));
  }
}
