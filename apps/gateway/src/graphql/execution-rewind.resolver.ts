import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Int, Mutation, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import { ExecutionCommands } from '../commands/execution-commands.js';
import { rewindRequest } from '../commands/rewind-request.js';
import { ExecutionNotFoundError } from '@chronicle/domain';
import type { GraphQLRequestContext } from './graphql-context.js';
import { ExecutionType } from './execution.types.js';
import { toExecutionType } from './mappers.js';
import { DateTimeScalar } from './scalars.js';

@ObjectType('Savepoint', { description: 'A point of the execution\'s own history it can be rewound to: the state right before a task run was created.' })
export class SavepointType {
  @Field(() => Int, { description: 'The stream revision the execution was at (rewindExecution(toRevision:)).' }) revision!: number;
  @Field(() => String, { description: 'The task this point is before (rewindExecution(beforeTaskId:)).' }) taskId!: string;
  @Field(() => String) taskRunId!: string;
  @Field(() => DateTimeScalar) at!: string;
}

@ObjectType('Rewind', { description: 'One rewind of the execution, as its log records it (ExecutionRewound).' })
export class RewindType {
  @Field(() => Int, { description: 'The revision of the rewind event itself.' }) revision!: number;
  @Field(() => Int, { description: 'The savepoint it went back to.' }) toRevision!: number;
  @Field(() => String) taskId!: string;
  @Field(() => String, { nullable: true }) reason?: string;
  @Field(() => String, { nullable: true, description: 'Who asked for it.' }) by?: string;
  @Field(() => DateTimeScalar) at!: string;
}

const recordOf = (execution: ExecutionType) => ({ savepoints: execution.savepoints, rewinds: execution.rewinds });

/**
 * Savepoints and rewind (Cloudomation's savepoints): `Execution.savepoints` lists the points the
 * flow's `savepointRetention` keeps, `rewindExecution` goes back to one in place (same execution,
 * new attempts). Rewinding rewrites what an execution does next, so it takes an EDITOR of the
 * execution's namespace, not an OPERATOR.
 */
@Resolver(() => ExecutionType)
export class ExecutionRewindResolver {
  constructor(
    @Inject(ExecutionCommands) private readonly commands: ExecutionCommands,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @ResolveField('savepoints', () => [SavepointType], { description: 'The points it can be rewound to, oldest first (the flow\'s savepointRetention decides which are kept).' })
  savepoints(@Parent() execution: ExecutionType): SavepointType[] {
    return (recordOf(execution).savepoints ?? []).map(({ revision, taskId, taskRunId, at }) => ({ revision, taskId, taskRunId, at }));
  }

  @ResolveField('rewinds', () => [RewindType], { description: 'Every rewind so far, oldest first.' })
  rewinds(@Parent() execution: ExecutionType): RewindType[] {
    return (recordOf(execution).rewinds ?? []).map(({ revision, toRevision, taskId, reason, by, at }) => ({ revision, toRevision, taskId, ...(reason !== undefined ? { reason } : {}), ...(by !== undefined ? { by } : {}), at }));
  }

  @Mutation(() => ExecutionType, {
    description: 'Rewinds the execution in place to one of its savepoints (give toRevision or beforeTaskId) and runs on from there: the log keeps everything, re-run tasks get new attempts. EDITOR of its namespace. The same idempotencyKey is the same rewind.',
  })
  async rewindExecution(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('toRevision', { type: () => Int, nullable: true }) toRevision?: number,
    @Args('beforeTaskId', { type: () => String, nullable: true }) beforeTaskId?: string,
    @Args('reason', { type: () => String, nullable: true }) reason?: string,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey?: string,
  ): Promise<ExecutionType> {
    const principal = this.access.require(ctx.principal, 'deploy', EACH_RESULT);
    const request = rewindRequest({ toRevision: toRevision ?? undefined, beforeTaskId: beforeTaskId ?? undefined, reason: reason ?? undefined, idempotencyKey: idempotencyKey ?? undefined }, principal.name);
    return toExecutionType(await this.commands.control(id, request, (namespace) => this.requireIn(principal, id, namespace)));
  }

  private requireIn(principal: Principal, id: string, namespace: string): void {
    if (!this.access.allows(principal, 'read', namespace)) throw new ExecutionNotFoundError(id);
    this.access.require(principal, 'deploy', { namespace });
  }
}
