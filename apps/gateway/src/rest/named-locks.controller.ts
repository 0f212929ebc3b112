import { Controller, Delete, Get, Headers, HttpCode, Inject, Query } from '@nestjs/common';
import type { NamedLockTable, StoredLockClaim } from '@chronicle/use-cases';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { FORCE_RELEASE_LOCK, NAMED_LOCKS, type ForceReleaseLockUseCase } from '../gateway.tokens.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';

const holderOf = (c: StoredLockClaim) => ({
  executionId: c.executionId, ...(c.taskRunId !== undefined ? { taskRunId: c.taskRunId } : {}), namespace: c.namespace, flowId: c.flowId,
  names: c.names, priority: c.priority, since: c.grantedAt ?? c.requestedAt,
});

/**
 * Named locks over REST: `GET /api/v1/locks` lists held and awaited locks (holder, waiters in
 * queue order); `DELETE /api/v1/locks?name=` force-releases one (ADMIN of the holder's namespace).
 * Lock names may hold `/`, so the name is a query parameter, not a path segment.
 */
@Controller('api/v1/locks')
export class NamedLocksController {
  constructor(
    @Inject(NAMED_LOCKS) private readonly locks: NamedLockTable,
    @Inject(FORCE_RELEASE_LOCK) private readonly forceRelease: ForceReleaseLockUseCase,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @ApiRoute({ tag: 'Executions', summary: 'Named locks held or waited for, with holder and waiters', returns: 'NamedLock[]', query: { name: { type: 'string', description: 'Only this lock' } } })
  @Get()
  async list(@Headers('authorization') authorization: string | undefined, @Query('name') name: unknown) {
    const principal = this.access.require(this.access.principal(authorization), 'read', EACH_RESULT);
    if (name !== undefined && typeof name !== 'string') throw new BadUserInputError('name must be given once', { parameter: 'name' });
    const visible = (c: StoredLockClaim | undefined): c is StoredLockClaim => c !== undefined && this.access.allows(principal, 'read', c.namespace);
    const locks = await this.locks.list(name !== undefined ? { names: [name] } : {});
    return locks
      .map((l) => ({ name: l.name, ...(visible(l.holder) ? { holder: holderOf(l.holder) } : {}), waiters: l.waiters.filter(visible).map(holderOf) }))
      .filter((l) => l.holder !== undefined || l.waiters.length > 0);
  }

  @ApiRoute({ tag: 'Executions', summary: 'Force-release a named lock (ignore_lock): the next waiter gets it', returns: 'LockRelease', query: { name: { type: 'string', description: 'The lock' } }, errors: { 404: 'Nobody holds it' } })
  @Delete()
  @HttpCode(200)
  async release(@Headers('authorization') authorization: string | undefined, @Query('name') name: unknown) {
    const principal = this.access.require(this.access.principal(authorization), 'admin', EACH_RESULT);
    if (typeof name !== 'string' || name === '') throw new BadUserInputError('query parameter name: the lock to release is required', { parameter: 'name' });
    const { previous, grantedTo } = await this.forceRelease(name, principal.name, (namespace) => {
      this.access.require(principal, 'admin', { namespace });
    });
    return { name, previousHolder: holderOf(previous), grantedTo };
  }
}
