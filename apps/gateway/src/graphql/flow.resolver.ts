import { Inject } from '@nestjs/common';
import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { deployFlow, type Platform } from '@chronicle/application';
import { parseFlow, type FlowDefinition } from '@chronicle/domain';
import type { ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { PLATFORM, READ_MODEL } from '../gateway.tokens.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { FlowType } from './flow.types.js';
import { toFlowType } from './mappers.js';

@Resolver(() => FlowType)
export class FlowResolver {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Query(() => FlowType, { nullable: true, description: 'A flow: its latest revision, or the one asked for.' })
  async flow(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String }) namespace: string,
    @Args('id', { type: () => String }) id: string,
    @Args('revision', { type: () => Int, nullable: true }) revision?: number,
  ): Promise<FlowType | null> {
    this.access.require(ctx.principal, 'read', namespace);
    const stored = revision === undefined ? await this.platform.flows.latest(namespace, id) : await this.platform.flows.revision(namespace, id, revision);
    return stored ? toFlowType(stored.definition, stored.source) : null;
  }

  @Query(() => [FlowType], { description: 'The latest revision of every flow, optionally in one namespace (and its children).' })
  async flows(@Context() ctx: GraphQLRequestContext, @Args('namespace', { type: () => String, nullable: true }) namespace?: string): Promise<FlowType[]> {
    const principal = this.access.require(ctx.principal, 'read', namespace);
    const rows = await this.readModel.listFlows(namespace);
    return rows.filter((f) => !principal.namespaces || this.access.allows(principal, 'read', f.namespace)).map((f) => toFlowType(f.definition as FlowDefinition, f.source));
  }

  @Mutation(() => FlowType, { description: 'Deploys YAML; a changed source makes a new revision, an unchanged one returns the current.' })
  async deployFlow(@Context() ctx: GraphQLRequestContext, @Args('source', { type: () => String }) source: string): Promise<FlowType> {
    const principal = this.access.require(ctx.principal, 'deploy');
    this.access.require(principal, 'deploy', parseFlow(source, 0).namespace);
    const deployed = await deployFlow(this.platform, source, principal.name);
    return toFlowType(deployed.definition, deployed.source);
  }
}
