import { Inject } from '@nestjs/common';
import { Args, Context, Int, Query, Resolver } from '@nestjs/graphql';
import type { ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { GLOBAL } from '../auth/authorization.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { READ_MODEL } from '../gateway.tokens.js';
import { DashboardType } from './dashboard.types.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { DateTimeScalar } from './scalars.js';

@Resolver(() => DashboardType)
export class DashboardResolver {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Query(() => DashboardType, { description: 'Executions that started in [from, to): per time bucket by state, success ratio, duration percentiles, busiest and most failing flows; running and queued now.' })
  async dashboard(
    @Context() ctx: GraphQLRequestContext,
    @Args('from', { type: () => DateTimeScalar }) from: string,
    @Args('to', { type: () => DateTimeScalar }) to: string,
    @Args('namespace', { type: () => String, nullable: true }) namespace?: string,
    @Args('flowId', { type: () => String, nullable: true }) flowId?: string,
    @Args('bucketSeconds', { type: () => Int, nullable: true, description: 'Bucket width (at least 60; at most 500 buckets); about 30 buckets by default.' }) bucketSeconds?: number,
  ): Promise<DashboardType> {
    // Aggregates cross executions: one namespace (and its children) for a namespace-limited token, all of them only for an unrestricted one.
    this.access.require(ctx.principal, 'read', namespace ? { namespace } : GLOBAL);
    const range = { from: new Date(from), to: new Date(to) };
    if (Number.isNaN(range.from.getTime()) || Number.isNaN(range.to.getTime())) throw new BadUserInputError('from and to must be ISO-8601 date-times');
    // A range the read model refuses is DASHBOARD_RANGE_INVALID: BAD_USER_INPUT by its code.
    const view = await this.readModel.dashboard({ ...range, ...(namespace ? { namespace } : {}), ...(flowId ? { flowId } : {}), ...(bucketSeconds ? { bucketSeconds } : {}) });
    return { ...view, buckets: [...view.buckets], busiestFlows: [...view.busiestFlows], failingFlows: [...view.failingFlows] };
  }
}
