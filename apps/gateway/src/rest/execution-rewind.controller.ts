import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import { ExecutionCommands } from '../commands/execution-commands.js';
import { rewindRequest } from '../commands/rewind-request.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { ExecutionNotFoundError } from '@chronicle/domain';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { ExecutionPresenter } from './execution-presenter.js';

/**
 * Rewind over REST, the same command as the `rewindExecution` mutation: a JSON body
 * `{ toRevision | beforeTaskId, reason? }`; EDITOR of the execution's namespace.
 */
@Controller('api/v1/executions')
export class ExecutionRewindController {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ExecutionCommands) private readonly commands: ExecutionCommands,
    @Inject(ExecutionPresenter) private readonly presenter: ExecutionPresenter,
  ) {}

  @ApiRoute({
    tag: 'Executions', summary: 'Rewind an execution in place to one of its savepoints ({ toRevision | beforeTaskId, reason? })', body: 'json-object', returns: 'Execution',
    headers: { 'idempotency-key': 'The same key is the same rewind' },
    errors: { 400: 'No such savepoint (the answer lists those offered)', 409: 'Not running, paused or ended, or no savepoint at all' },
  })
  @Post(':id/rewind')
  @HttpCode(200)
  async rewind(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Headers('idempotency-key') idempotencyKey: string | undefined, @Param('id') id: string, @Body() body: unknown) {
    const principal = this.access.require(this.access.principal(authorization), 'deploy', EACH_RESULT);
    const ask = bodyOf(body);
    const request = rewindRequest({ ...ask, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) }, principal.name);
    const execution = await this.commands.control(id, request, (namespace) => this.requireIn(principal, id, namespace));
    return this.presenter.present(execution, req);
  }

  private requireIn(principal: Principal, id: string, namespace: string): void {
    if (!this.access.allows(principal, 'read', namespace)) throw new ExecutionNotFoundError(id);
    this.access.require(principal, 'deploy', { namespace });
  }
}

function bodyOf(body: unknown): { toRevision?: number; beforeTaskId?: string; reason?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadUserInputError('the body must be a JSON object { toRevision | beforeTaskId, reason? }');
  const { toRevision, beforeTaskId, reason } = body as Record<string, unknown>;
  if (toRevision !== undefined && typeof toRevision !== 'number') throw new BadUserInputError(`toRevision must be a number, got ${JSON.stringify(toRevision)}`, { field: 'toRevision' });
  if (beforeTaskId !== undefined && typeof beforeTaskId !== 'string') throw new BadUserInputError(`beforeTaskId must be a task id, got ${JSON.stringify(beforeTaskId)}`, { field: 'beforeTaskId' });
  if (reason !== undefined && typeof reason !== 'string') throw new BadUserInputError(`reason must be a text, got ${JSON.stringify(reason)}`, { field: 'reason' });
  return { ...(toRevision !== undefined ? { toRevision } : {}), ...(beforeTaskId !== undefined ? { beforeTaskId } : {}), ...(reason !== undefined ? { reason } : {}) };
}
