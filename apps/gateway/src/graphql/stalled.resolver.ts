import { Inject } from '@nestjs/common';
import { Args, Context, Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { Clock } from '@chronicle/runtime';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { CLOCK, STALLED_EXECUTIONS, type FindStalledExecutions } from '../gateway.tokens.js';
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
  constructor(
    @Inject(STALLED_EXECUTIONS) private readonly findStalled: FindStalledExecutions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Query(() => [StalledExecutionType], { description: 'RUNNING executions with no progress for more than `minutes` (the same check the scheduler reports as chronicle_stalled_executions).' })
  async stalledExecutions(@Context() ctx: GraphQLRequestContext, @Args('minutes', { type: () => Int, nullable: true }) minutes?: number): Promise<StalledExecutionType[]> {
    const principal = this.access.require(ctx.principal, 'read', EACH_RESULT);
    const since = new Date(Date.parse(this.clock.now()) - (minutes ?? 15) * 60_000);
    const stalled = await this.findStalled(since, 500);
    return stalled.filter((s) => this.access.allows(principal, 'read', s.namespace));
  }
}
