import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { NamedLockTable, NamedLockView, StoredLockClaim } from '@chronicle/use-cases';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { FORCE_RELEASE_LOCK, NAMED_LOCKS, type ForceReleaseLockUseCase } from '../gateway.tokens.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { ExecutionType } from './execution.types.js';
import { DateTimeScalar } from './scalars.js';

@ObjectType('LockHolder', { description: 'An execution (or one of its task runs) holding or waiting for a named lock.' })
export class LockHolderType {
  @Field(() => ID) executionId!: string;
  @Field(() => ID, { nullable: true, description: 'Set when a task (task `locks:`) holds it, not the whole execution.' }) taskRunId?: string;
  @Field(() => String) namespace!: string;
  @Field(() => String) flowId!: string;
  @Field(() => [String], { description: 'Every lock of its claim (a claim is granted whole).' }) names!: string[];
  @Field(() => Int) priority!: number;
  @Field(() => DateTimeScalar, { description: 'Since when it holds it, or waits for it.' }) since!: string;
}

@ObjectType('NamedLock', { description: 'A named lock (flow or task `locks:`) of one namespace: who holds it and who waits, in the order they will get it.' })
export class NamedLockType {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The namespace the lock belongs to: locks are per namespace (`db` of teamA and `db` of teamB are two locks).' }) namespace!: string;
  @Field(() => LockHolderType, { nullable: true }) holder?: LockHolderType;
  @Field(() => [LockHolderType]) waiters!: LockHolderType[];
}

@ObjectType('ExecutionLockClaim', { description: 'A claim of this execution (or of one of its task runs) on named locks.' })
export class ExecutionLockClaimType {
  @Field(() => ID, { nullable: true, description: 'The task run that claims; null: the execution itself (flow `locks:`).' }) taskRunId?: string;
  @Field(() => [String]) names!: string[];
  @Field(() => String, { description: 'WAITING or HELD.' }) state!: string;
  @Field(() => DateTimeScalar) since!: string;
}

@ObjectType('LockRelease', { description: 'The answer of releaseLock: who held it, and the claims granted after it.' })
export class LockReleaseType {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The namespace of the lock released.' }) namespace!: string;
  @Field(() => LockHolderType) previousHolder!: LockHolderType;
  @Field(() => [String], { description: 'Holders (execution or task run ids) that got their locks because of it.' }) grantedTo!: string[];
}

const holderOf = (c: StoredLockClaim): LockHolderType => ({
  executionId: c.executionId, ...(c.taskRunId !== undefined ? { taskRunId: c.taskRunId } : {}), namespace: c.namespace, flowId: c.flowId,
  names: [...c.names], priority: c.priority, since: c.grantedAt ?? c.requestedAt,
});

const lockOf = (l: NamedLockView): NamedLockType => ({
  name: l.name, namespace: l.namespace, ...(l.holder !== undefined ? { holder: holderOf(l.holder) } : {}), waiters: l.waiters.map(holderOf),
});

/** Named locks in the API: the lock table (Operations page), an execution's claims, and force-release for ADMIN. */
@Resolver(() => ExecutionType)
export class NamedLocksResolver {
  constructor(
    @Inject(NAMED_LOCKS) private readonly locks: NamedLockTable,
    @Inject(FORCE_RELEASE_LOCK) private readonly forceRelease: ForceReleaseLockUseCase,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Query(() => [NamedLockType], { description: 'Named locks held or waited for, with their holder and waiters (waiters in queue order): the locks of the namespaces the caller may read.' })
  async namedLocks(
    @Context() ctx: GraphQLRequestContext,
    @Args('name', { type: () => String, nullable: true }) name?: string,
    @Args('namespace', { type: () => String, nullable: true, description: 'Only the locks of this namespace.' }) namespace?: string,
  ): Promise<NamedLockType[]> {
    const principal = this.access.require(ctx.principal, 'read', namespace != null ? { namespace } : EACH_RESULT);
    const locks = await this.locks.list({ ...(name != null ? { names: [name] } : {}), ...(namespace != null ? { namespaces: [namespace] } : {}) });
    return locks.filter((l) => this.access.allows(principal, 'read', l.namespace)).map(lockOf);
  }

  @ResolveField('lockClaims', () => [ExecutionLockClaimType], { description: 'Named-lock claims of this execution and its task runs: WAITING (the lock wait) or HELD.' })
  lockClaims(@Parent() execution: ExecutionType): ExecutionLockClaimType[] {
    const claims = execution.lockClaims ?? [];
    return claims.map((c) => ({ ...(c.taskRunId !== undefined ? { taskRunId: c.taskRunId } : {}), names: [...c.names], state: c.state, since: c.since }));
  }

  @ResolveField('lockHolders', () => [NamedLockType], { description: 'For every lock this execution waits for: who holds it now and who waits before it.' })
  async lockHolders(@Context() ctx: GraphQLRequestContext, @Parent() execution: ExecutionType): Promise<NamedLockType[]> {
    const claims = execution.lockClaims ?? [];
    const names = [...new Set(claims.filter((c) => c.state === 'WAITING').flatMap((c) => c.names))];
    if (names.length === 0) return [];
    // The execution's locks are its namespace's.
    return this.namedLocks(ctx, undefined, execution.namespace).then((all) => all.filter((l) => names.includes(l.name)));
  }

  @Mutation(() => LockReleaseType, {
    description: 'Force-releases a named lock (Cloudomation\'s ignore_lock): its holder goes on without it and the next waiter gets it. ADMIN of the lock\'s namespace; '
      + 'a lock of a namespace the caller may not administer answers NOT_FOUND, as a lock nobody holds. Without namespace: the one namespace the caller administers that holds a lock of that name.',
  })
  async releaseLock(
    @Context() ctx: GraphQLRequestContext,
    @Args('name', { type: () => String }) name: string,
    @Args('namespace', { type: () => String, nullable: true }) namespace?: string,
  ): Promise<LockReleaseType> {
    const principal = this.access.require(ctx.principal, 'admin', EACH_RESULT);
    const { previous, grantedTo } = await this.forceRelease({ name, ...(namespace != null ? { namespace } : {}) }, principal.name, (ns) => this.access.allows(principal, 'admin', ns));
    return { name, namespace: previous.namespace, previousHolder: holderOf(previous), grantedTo };
  }
}
