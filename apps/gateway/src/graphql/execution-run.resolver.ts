import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Int, Mutation, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ExecutionOptions } from '@chronicle/domain';
import type { ExecutionView, ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import { ExecutionCommands } from '../commands/execution-commands.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { READ_MODEL } from '../gateway.tokens.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { ExecutionType } from './execution.types.js';
import { toExecutionType } from './mappers.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';
import { collectDescendants, MAX_TREE_DEPTH } from '../commands/execution-tree.js';
import { ExecutionNotFoundError } from '@chronicle/domain';

@ObjectType('StartedBy', { description: 'Who started an execution: an API token (by name), a trigger (by id) or a parent execution (by id).' })
export class StartedByType {
  @Field(() => String, { description: 'token, trigger or execution.' }) kind!: string;
  @Field(() => String) id!: string;
}

const optionsOf = (execution: ExecutionType): ExecutionOptions => execution.options ?? {};

/**
 * Cloudomation's execution record on `Execution`: the per-run options chosen at start, the status
 * message steered while it runs, and the execution tree (parent, children, top, descendants).
 * Tree reads show only executions the caller may read.
 */
@Resolver(() => ExecutionType)
export class ExecutionRunResolver {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(ExecutionCommands) private readonly commands: ExecutionCommands,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @ResolveField('priority', () => Int, { nullable: true, description: 'The run\'s priority (higher first); null: the flow\'s `priority` applies.' })
  priority(@Parent() execution: ExecutionType): number | null { return optionsOf(execution).priority ?? null; }

  @ResolveField('maxRuntime', () => String, { nullable: true, description: 'ISO-8601 duration after which the whole execution is killed (replaces the flow\'s `timeout`).' })
  maxRuntime(@Parent() execution: ExecutionType): string | null { return optionsOf(execution).maxRuntime ?? null; }

  @ResolveField('scheduledAt', () => DateTimeScalar, { nullable: true, description: 'A deferred start: the execution stays CREATED until then.' })
  scheduledAt(@Parent() execution: ExecutionType): string | null { return optionsOf(execution).scheduledAt ?? null; }

  @ResolveField('name', () => String, { nullable: true }) name(@Parent() execution: ExecutionType): string | null { return optionsOf(execution).name ?? null; }

  @ResolveField('description', () => String, { nullable: true }) description(@Parent() execution: ExecutionType): string | null { return optionsOf(execution).description ?? null; }

  @ResolveField('message', () => String, { nullable: true, description: 'The human status message, set by an operator (updateExecution) or a StatusMessage task.' })
  message(@Parent() execution: ExecutionType): string | null { return optionsOf(execution).message ?? null; }

  @ResolveField('mode', () => String, { description: 'PRODUCTIVE, or DEVELOPMENT for a test run.' })
  mode(@Parent() execution: ExecutionType): string { return optionsOf(execution).mode ?? 'PRODUCTIVE'; }

  @ResolveField('startedBy', () => StartedByType, { nullable: true })
  startedBy(@Parent() execution: ExecutionType): StartedByType | null { return optionsOf(execution).startedBy ?? null; }

  @ResolveField('killReason', () => String, { nullable: true, description: 'Why it is being / was killed: the kill request\'s reason, the flow timeout or the maxRuntime.' })
  killReason(@Parent() execution: ExecutionType): string | null { return execution.killReason ?? null; }

  @ResolveField('parent', () => ExecutionType, { nullable: true, description: 'The execution that started this one (a Subflow, ForEachItem).' })
  async parent(@Context() ctx: GraphQLRequestContext, @Parent() execution: ExecutionType): Promise<ExecutionType | null> {
    if (!execution.parentId) return null;
    return this.readable(ctx, await this.readModel.getExecution(execution.parentId));
  }

  @ResolveField('topExecution', () => ExecutionType, { description: 'The root of this execution\'s tree (itself when it has no parent).' })
  async topExecution(@Context() ctx: GraphQLRequestContext, @Parent() execution: ExecutionType): Promise<ExecutionType> {
    let top: ExecutionType = execution;
    for (let depth = 0; top.parentId && depth < MAX_TREE_DEPTH; depth++) {
      const up = await this.readModel.getExecution(top.parentId);
      if (!up || !this.access.allows(this.principal(ctx), 'read', up.namespace)) break;
      top = toExecutionType(up);
    }
    return top;
  }

  @ResolveField('children', () => [ExecutionType], { description: 'The executions this one started, oldest first.' })
  async children(@Context() ctx: GraphQLRequestContext, @Parent() execution: ExecutionType): Promise<ExecutionType[]> {
    const page = await this.readModel.listExecutions({ parentId: execution.id, first: 500 });
    const principal = this.principal(ctx);
    return [...page.nodes].reverse().filter((c) => this.access.allows(principal, 'read', c.namespace)).map(toExecutionType);
  }

  @ResolveField('descendants', () => [ExecutionType], { description: `Every execution below this one (children, their children...), breadth first, with their states; at most ${MAX_TREE_DEPTH} levels.` })
  async descendants(@Context() ctx: GraphQLRequestContext, @Parent() execution: ExecutionType): Promise<ExecutionType[]> {
    const principal = this.principal(ctx);
    const all = await collectDescendants(this.readModel, execution.id);
    return all.filter((c) => this.access.allows(principal, 'read', c.namespace)).map(toExecutionType);
  }

  @Mutation(() => ExecutionType, {
    description: 'Steers an execution in any state: replaces its labels (system labels stay), sets its status message, priority, name or description. Only the given fields change.',
  })
  updateExecution(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('labels', { type: () => JSONScalar, nullable: true }) labels?: Record<string, string>,
    @Args('message', { type: () => String, nullable: true }) message?: string,
    @Args('priority', { type: () => Int, nullable: true }) priority?: number,
    @Args('name', { type: () => String, nullable: true }) name?: string,
    @Args('description', { type: () => String, nullable: true }) description?: string,
  ): Promise<ExecutionType> {
    const principal = this.access.require(ctx.principal, 'execute', EACH_RESULT);
    if (labels !== undefined && labels !== null && (typeof labels !== 'object' || Array.isArray(labels))) throw new BadUserInputError('labels must be an object of names to strings');
    const request = {
      type: 'UpdateExecution' as const,
      ...(labels != null ? { labels } : {}),
      ...(message != null ? { message } : {}),
      ...(priority != null ? { priority } : {}),
      ...(name != null ? { name } : {}),
      ...(description != null ? { description } : {}),
      actor: principal.name,
    };
    return this.commands.control(id, request, (namespace) => this.requireIn(principal, id, namespace)).then(toExecutionType);
  }

  private principal(ctx: GraphQLRequestContext): Principal {
    return this.access.require(ctx.principal, 'read', EACH_RESULT);
  }

  private readable(ctx: GraphQLRequestContext, execution: ExecutionView | undefined): ExecutionType | null {
    if (!execution || !this.access.allows(this.principal(ctx), 'read', execution.namespace)) return null;
    return toExecutionType(execution);
  }

  private requireIn(principal: Principal, id: string, namespace: string): void {
    if (!this.access.allows(principal, 'read', namespace)) throw new ExecutionNotFoundError(id);
    this.access.require(principal, 'execute', { namespace });
  }
}
