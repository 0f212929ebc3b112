import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { State } from '@chronicle/domain';
import { DEFAULT_AUDIT_PAGE_SIZE, DEFAULT_PURGE_LIMIT, purgeExecutions, type ReadModelQueries } from '@chronicle/read-model';
import type { Logger } from '@chronicle/runtime';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT, GLOBAL } from '../auth/authorization.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { CLOCK, EVENT_STORE, LOGGER, READ_MODEL } from '../gateway.tokens.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { AuditEntryType, PurgeResultType } from './retention.types.js';
import { StateEnum } from './state.enum.js';
import type { EventStore } from '@chronicle/event-store';
import type { Clock } from '@chronicle/runtime';
import { ExecutionNotFoundError } from '@chronicle/domain';

/** Retention (ADMIN) and the audit of who did what. */
@Resolver(() => AuditEntryType)
export class RetentionResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Mutation(() => PurgeResultType, {
    description:
      'ADMIN. Removes ended executions (their read-model rows, logs, audit entries and event streams) that ended more than olderThanDays ago and/or belong to namespace, oldest first, at most limit per call. dryRun (the default) lists them and changes nothing.',
  })
  async purgeExecutions(
    @Context() ctx: GraphQLRequestContext,
    @Args('olderThanDays', { type: () => Int, nullable: true }) olderThanDays?: number,
    @Args('namespace', { type: () => String, nullable: true }) namespace?: string,
    @Args('states', { type: () => [StateEnum], nullable: true, description: 'Terminal states only; default all of them.' }) states?: State[],
    @Args('dryRun', { type: () => Boolean, nullable: true, defaultValue: true }) dryRun?: boolean,
    @Args('limit', { type: () => Int, nullable: true, defaultValue: DEFAULT_PURGE_LIMIT }) limit?: number,
  ): Promise<PurgeResultType> {
    // A namespace-limited ADMIN purges only its own namespaces; without a namespace the purge spans all of them.
    const principal = this.access.require(ctx.principal, 'admin', namespace ? { namespace } : GLOBAL);
    const result = await purgeExecutions(this.readModel.dataSource, this.store, {
      olderThanDays: olderThanDays ?? undefined,
      namespace: namespace ?? undefined,
      states: states ?? undefined,
      dryRun: dryRun ?? true,
      limit: limit ?? undefined,
      now: new Date(this.clock.now()),
      actor: principal.name,
    });
    if (!result.dryRun) this.logger.info({ actor: principal.name, count: result.count, olderThanDays, namespace }, 'executions purged');
    return { executionIds: [...result.executionIds], count: result.count, dryRun: result.dryRun };
  }

  @Query(() => [AuditEntryType], { description: 'Who did what, in log order: the events of one execution, or of one namespace (its executions and flows).' })
  async audit(
    @Context() ctx: GraphQLRequestContext,
    @Args('executionId', { type: () => ID, nullable: true }) executionId?: string,
    @Args('namespace', { type: () => String, nullable: true }) namespace?: string,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_AUDIT_PAGE_SIZE }) first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'An entry\'s cursor: the entries after it.' }) after?: string,
  ): Promise<AuditEntryType[]> {
    const principal = this.access.require(ctx.principal, 'read', EACH_RESULT);
    if ((executionId ? 1 : 0) + (namespace ? 1 : 0) !== 1) throw new BadUserInputError('audit needs exactly one of executionId and namespace');
    if (namespace) this.access.require(principal, 'read', { namespace });
    if (executionId) {
      // The namespace decides who may read; an execution outside the caller's namespaces does not exist for them.
      const execution = await this.readModel.getExecution(executionId);
      if (!execution || !this.access.allows(principal, 'read', execution.namespace)) throw new ExecutionNotFoundError(executionId);
    }
    const entries = await this.readModel.audit({ executionId: executionId ?? undefined, namespace: namespace ?? undefined, first: first ?? undefined, after: after ?? undefined });
    return entries.map((e) => ({ ...e }));
  }
}
