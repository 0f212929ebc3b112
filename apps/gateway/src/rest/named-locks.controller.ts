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
 * Named locks over REST: `GET /api/v1/locks` lists held and awaited locks of the caller's
 * namespaces (holder, waiters in queue order); `DELETE /api/v1/locks?name=&namespace=`
 * force-releases one (ADMIN of the lock's namespace; another's answers 404 as no lock does).
 * Lock names may hold `/`, so the name is a query parameter, not a path segment.
 */
@Controller('api/v1/locks')
export class NamedLocksController {
  constructor(
    @Inject(NAMED_LOCKS) private readonly locks: NamedLockTable,
    @Inject(FORCE_RELEASE_LOCK) private readonly forceRelease: ForceReleaseLockUseCase,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @ApiRoute({ tag: 'Executions', summary: 'Named locks held or waited for, with holder and waiters: those of the namespaces the caller may read', returns: 'NamedLock[]', query: { name: { type: 'string', description: 'Only this lock' }, namespace: { type: 'string', description: 'Only the locks of this namespace' } } })
  @Get()
  async list(@Headers('authorization') authorization: string | undefined, @Query('name') name: unknown, @Query('namespace') namespace: unknown) {
    const caller = this.access.principal(authorization);
    if (name !== undefined && typeof name !== 'string') throw new BadUserInputError('name must be given once', { parameter: 'name' });
    if (namespace !== undefined && typeof namespace !== 'string') throw new BadUserInputError('namespace must be given once', { parameter: 'namespace' });
    const principal = this.access.require(caller, 'read', namespace !== undefined ? { namespace } : EACH_RESULT);
    const locks = await this.locks.list({ ...(name !== undefined ? { names: [name] } : {}), ...(namespace !== undefined ? { namespaces: [namespace] } : {}) });
    return locks
      .filter((l) => this.access.allows(principal, 'read', l.namespace))
      .map((l) => ({ name: l.name, namespace: l.namespace, ...(l.holder !== undefined ? { holder: holderOf(l.holder) } : {}), waiters: l.waiters.map(holderOf) }));
  }

  @ApiRoute({ tag: 'Executions', summary: 'Force-release a named lock (ignore_lock): the next waiter gets it', returns: 'LockRelease', query: { name: { type: 'string', description: 'The lock' }, namespace: { type: 'string', description: 'Its namespace (needed when several namespaces the caller administers hold a lock of that name)' } }, errors: { 404: 'Nobody holds it in a namespace the caller administers' } })
  @Delete()
  @HttpCode(200)
  async release(@Headers('authorization') authorization: string | undefined, @Query('name') name: unknown, @Query('namespace') namespace: unknown) {
    const principal = this.access.require(this.access.principal(authorization), 'admin', EACH_RESULT);
    if (typeof name !== 'string' || name === '') throw new BadUserInputError('query parameter name: the lock to release is required', { parameter: 'name' });
    if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '')) throw new BadUserInputError('query parameter namespace: given once, not empty', { parameter: 'namespace' });
    const { previous, grantedTo } = await this.forceRelease({ name, ...(namespace !== undefined ? { namespace } : {}) }, principal.name, (ns) => this.access.allows(principal, 'admin', ns));
    return { name, namespace: previous.namespace, previousHolder: holderOf(previous), grantedTo };
  }
}
