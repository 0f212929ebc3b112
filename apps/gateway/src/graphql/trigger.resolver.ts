import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { listTriggers, TriggerNotFoundError, type FlowRepository, type TriggerStates } from '@chronicle/use-cases';
import type { Clock } from '@chronicle/runtime';
import type { ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { BACKFILL_SCHEDULE, CLOCK, FLOWS, READ_MODEL, TRIGGER_STATES, type BackfillScheduleUseCase } from '../gateway.tokens.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { DateTimeScalar } from './scalars.js';
import { BackfillResultType, TriggerType } from './trigger.types.js';

@Resolver(() => TriggerType)
export class TriggerResolver {
  constructor(
    @Inject(TRIGGER_STATES) private readonly states: TriggerStates,
    @Inject(FLOWS) private readonly flows: FlowRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BACKFILL_SCHEDULE) private readonly backfill: BackfillScheduleUseCase,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Query(() => [TriggerType], { description: 'Every trigger of the latest flow revisions: last fired, next date (schedules), enabled.' })
  async triggers(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String, nullable: true }) namespace?: string,
    @Args('flowId', { type: () => String, nullable: true }) flowId?: string,
  ): Promise<TriggerType[]> {
    const principal = this.access.require(ctx.principal, 'read', namespace ? { namespace } : EACH_RESULT);
    const flows = (await this.readModel.listFlows(namespace))
      .filter((f) => (!flowId || f.id === flowId) && this.access.allows(principal, 'read', f.namespace))
      .map((f) => f.definition);
    return listTriggers(flows, this.states, new Date(this.clock.now()));
  }

  @Mutation(() => TriggerType, { description: 'Enables a trigger at run time (ticks missed while it was off are not recovered).' })
  enableTrigger(@Context() ctx: GraphQLRequestContext, @Args('namespace', { type: () => String }) namespace: string, @Args('flowId', { type: () => String }) flowId: string, @Args('triggerId', { type: () => String }) triggerId: string): Promise<TriggerType> {
    return this.setEnabled(ctx, namespace, flowId, triggerId, true);
  }

  @Mutation(() => TriggerType, { description: 'Disables a trigger at run time, whatever the flow says.' })
  disableTrigger(@Context() ctx: GraphQLRequestContext, @Args('namespace', { type: () => String }) namespace: string, @Args('flowId', { type: () => String }) flowId: string, @Args('triggerId', { type: () => String }) triggerId: string): Promise<TriggerType> {
    return this.setEnabled(ctx, namespace, flowId, triggerId, false);
  }

  @Mutation(() => BackfillResultType, { description: "Runs a Schedule's slots in (from, to]; slots that already succeeded are skipped unless rerunSucceeded." })
  async backfillTrigger(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String }) namespace: string,
    @Args('flowId', { type: () => String }) flowId: string,
    @Args('triggerId', { type: () => String }) triggerId: string,
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('rerunSucceeded', { type: () => Boolean, nullable: true }) rerunSucceeded?: boolean,
  ): Promise<BackfillResultType> {
    const principal = this.access.require(ctx.principal, 'execute', { namespace });
    const result = await this.backfill({ namespace, flowId, triggerId, from: new Date(from), to: new Date(to), rerunSucceeded: rerunSucceeded ?? false, actor: principal.name });
    return { started: [...result.started], skipped: [...result.skipped] };
  }

  private async setEnabled(ctx: GraphQLRequestContext, namespace: string, flowId: string, triggerId: string, enabled: boolean): Promise<TriggerType> {
    this.access.require(ctx.principal, 'deploy', { namespace });
    const flow = await this.flows.latest(namespace, flowId);
    if (!flow) throw new TriggerNotFoundError(namespace, flowId, triggerId);
    const found = (await listTriggers([flow.definition], this.states, new Date(this.clock.now()))).find((t) => t.id === triggerId);
    if (!found) throw new TriggerNotFoundError(namespace, flowId, triggerId);
    await this.states.setEnabled({ namespace, flowId, triggerId }, enabled);
    return (await listTriggers([flow.definition], this.states, new Date(this.clock.now()))).find((t) => t.id === triggerId)!;
  }
}
