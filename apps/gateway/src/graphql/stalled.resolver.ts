import { Inject } from '@nestjs/common';
import { Args, Context, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { findStalledExecutions } from '@chronicle/stores';
import type { Platform } from '@chronicle/composition';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { PLATFORM } from '../gateway.tokens.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { DateTimeScalar } from './scalars.js';

@ObjectType('StalledExecution', { description: 'A RUNNING execution that made no progress (no event projected) for longer than allowed.' })
export class StalledExecutionType {
  @Field(() => String) id!: string;
  @Field(() => String) namespace!: string;
  @Field(() => String) flowId!: string;
  @Field(() => String) state!: string;
  @Field(() => DateTimeScalar, { description: 'When it last changed.' }) updatedAt!: string;
}

@Resolver(() => StalledExecutionType)
export class StalledExecutionsResolver {
  constructor(@Inject(PLATFORM) private readonly platform: Platform, @Inject(AccessControl) private readonly access: AccessControl) {}

  @Query(() => [StalledExecutionType], { description: 'RUNNING executions with no progress for more than `minutes` (the same check the scheduler reports as chronicle_stalled_executions).' })
  async stalledExecutions(@Context() ctx: GraphQLRequestContext, @Args('minutes', { type: () => Int, nullable: true }) minutes?: number): Promise<StalledExecutionType[]> {
    const principal = this.access.require(ctx.principal, 'read', EACH_RESULT);
    const since = new Date(Date.parse(this.platform.clock.now()) - (minutes ?? 15) * 60_000);
    const stalled = await findStalledExecutions(this.platform.pool, since, 500);
    return stalled.filter((s) => this.access.allows(principal, 'read', s.namespace));
  }
}
