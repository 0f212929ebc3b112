import { Inject } from '@nestjs/common';
import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type FlowLifecycleAction } from '@chronicle/use-cases';
import { parseFlow } from '@chronicle/domain';
import type { ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { CHANGE_FLOW_LIFECYCLE, DEPLOY_FLOW, FLOWS, READ_MODEL, type DeployFlowUseCase, type ChangeFlowLifecycleUseCase } from '../gateway.tokens.js';
import { flowForReader } from '../secrets/flow-masking.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { FlowType } from './flow.types.js';
import { flowViewToType, toFlowType } from './mappers.js';
import type { FlowRepository } from '@chronicle/use-cases';

@Resolver(() => FlowType)
export class FlowResolver {
  constructor(
    @Inject(FLOWS) private readonly flowRepository: FlowRepository,
    @Inject(DEPLOY_FLOW) private readonly deploy: DeployFlowUseCase,
    @Inject(CHANGE_FLOW_LIFECYCLE) private readonly changeLifecycle: ChangeFlowLifecycleUseCase,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Query(() => FlowType, { nullable: true, description: 'A flow: its latest revision, or the one asked for (of a deleted flow too).' })
  async flow(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String }) namespace: string,
    @Args('id', { type: () => String }) id: string,
    @Args('revision', { type: () => Int, nullable: true }) revision?: number,
  ): Promise<FlowType | null> {
    const principal = this.access.require(ctx.principal, 'read', { namespace });
    // The event store, not the read model: a flow deployed a moment ago is already there.
    const head = await this.flowRepository.head(namespace, id);
    if (!head) return null;
    const stored = revision === undefined || revision === null ? head.latest : await this.flowRepository.revision(namespace, id, revision);
    return stored ? flowForReader(toFlowType(stored.definition, stored.source, head.status), principal) : null;
  }

  @Query(() => [FlowType], { description: 'The latest revision of every flow that is not deleted, optionally in one namespace (and its children).' })
  async flows(@Context() ctx: GraphQLRequestContext, @Args('namespace', { type: () => String, nullable: true }) namespace?: string): Promise<FlowType[]> {
    const principal = this.access.require(ctx.principal, 'read', namespace ? { namespace } : EACH_RESULT);
    const rows = await this.readModel.listFlows(namespace ?? undefined);
    return rows.filter((f) => this.access.allows(principal, 'read', f.namespace)).map((f) => flowForReader(flowViewToType(f), principal));
  }

  @Query(() => [FlowType], { description: 'Every revision of one flow with its source, oldest first.' })
  async flowRevisions(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String }) namespace: string,
    @Args('id', { type: () => String }) id: string,
  ): Promise<FlowType[]> {
    const principal = this.access.require(ctx.principal, 'read', { namespace });
    return (await this.readModel.listFlowRevisions(namespace, id)).map((f) => flowForReader(flowViewToType(f), principal));
  }

  @Mutation(() => FlowType, { description: 'Deploys YAML; a changed source makes a new revision, an unchanged one returns the current.' })
  async deployFlow(@Context() ctx: GraphQLRequestContext, @Args('source', { type: () => String }) source: string): Promise<FlowType> {
    const principal = this.access.require(ctx.principal, 'deploy', EACH_RESULT);
    this.access.require(principal, 'deploy', { namespace: parseFlow(source, this.flowRepository.taskTypes, 0).namespace });
    const deployed = await this.deploy(source, principal.name);
    const head = await this.flowRepository.head(deployed.definition.namespace, deployed.definition.id);
    return toFlowType(deployed.definition, deployed.source, head?.status ?? { disabled: false, deleted: false });
  }

  @Mutation(() => FlowType, { description: 'No new execution of the flow starts until enableFlow; running ones go on.' })
  disableFlow(@Context() ctx: GraphQLRequestContext, @Args('namespace', { type: () => String }) namespace: string, @Args('id', { type: () => String }) id: string): Promise<FlowType> {
    return this.lifecycle(ctx, namespace, id, 'disable');
  }

  @Mutation(() => FlowType)
  enableFlow(@Context() ctx: GraphQLRequestContext, @Args('namespace', { type: () => String }) namespace: string, @Args('id', { type: () => String }) id: string): Promise<FlowType> {
    return this.lifecycle(ctx, namespace, id, 'enable');
  }

  @Mutation(() => FlowType, { description: 'Takes the flow out of `flows`; its revisions stay readable; deploying it again brings it back as a new revision.' })
  deleteFlow(@Context() ctx: GraphQLRequestContext, @Args('namespace', { type: () => String }) namespace: string, @Args('id', { type: () => String }) id: string): Promise<FlowType> {
    return this.lifecycle(ctx, namespace, id, 'delete');
  }

  private async lifecycle(ctx: GraphQLRequestContext, namespace: string, id: string, action: FlowLifecycleAction): Promise<FlowType> {
    const principal = this.access.require(ctx.principal, 'deploy', { namespace });
    const result = await this.changeLifecycle(namespace, id, action, principal.name);
    return toFlowType(result.latest.definition, result.latest.source, result.status);
  }
}
