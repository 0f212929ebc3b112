import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { AccessControl } from '../auth/request-principal.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { TriggerResolver } from '../graphql/trigger.resolver.js';
import { queryParams } from './query-params.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';

interface TriggerRef {
  readonly namespace: string;
  readonly flowId: string;
  readonly triggerId: string;
}

/**
 * Kestra's trigger routes over the GraphQL trigger resolver (same authorization): search, a flow's
 * triggers, enable/disable in bulk, and a Schedule backfill (`PUT /api/v1/triggers` with
 * `backfill: { start, end }`).
 */
@Controller('api/v1/triggers')
export class TriggersController {
  constructor(@Inject(AccessControl) private readonly access: AccessControl, @Inject(TriggerResolver) private readonly triggers: TriggerResolver) {}

  @ApiRoute({ tag: 'Triggers', summary: 'Search triggers', returns: 'PagedTriggers', query: { namespace: { type: 'string' }, flowId: { type: 'string' }, page: { type: 'integer', minimum: 1 }, size: { type: 'integer', minimum: 1, maximum: 500 } } })
  @Get('search')
  async search(@Headers('authorization') authorization: string | undefined, @Query('namespace') namespace: unknown, @Query('flowId') flowId: unknown, @Query('page') page: string | undefined, @Query('size') size: string | undefined) {
    const all = await this.triggers.triggers(this.ctx(authorization), queryParams.string('namespace', namespace), queryParams.string('flowId', flowId));
    return paged(all, page, size);
  }

  @ApiRoute({ tag: 'Triggers', summary: 'The triggers of a flow', returns: 'PagedTriggers', query: { page: { type: 'integer', minimum: 1 }, size: { type: 'integer', minimum: 1, maximum: 500 } } })
  @Get(':namespace/:flowId')
  async forFlow(@Headers('authorization') authorization: string | undefined, @Param('namespace') namespace: string, @Param('flowId') flowId: string, @Query('page') page: string | undefined, @Query('size') size: string | undefined) {
    return paged(await this.triggers.triggers(this.ctx(authorization), namespace, flowId), page, size);
  }

  /** Kestra's `{ triggers: [{ namespace, flowId, triggerId }], disabled }`; answers `{ count }`. */
  @ApiRoute({ tag: 'Triggers', summary: 'Disable or enable triggers: { triggers: [{ namespace, flowId, triggerId }], disabled }', body: 'json-object', returns: 'Count' })
  @Post('set-disabled/by-triggers')
  @HttpCode(200)
  async setDisabled(@Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    const request = body as { triggers?: unknown; disabled?: unknown } | undefined;
    if (!request || !Array.isArray(request.triggers) || !request.triggers.every(isTriggerRef) || typeof request.disabled !== 'boolean') {
      throw new BadUserInputError('the body must be { "triggers": [{ "namespace", "flowId", "triggerId" }], "disabled": true|false }');
    }
    const principal = this.access.principal(authorization);
    for (const t of request.triggers) this.access.require(principal, 'deploy', { namespace: t.namespace });
    for (const t of request.triggers) {
      if (request.disabled) await this.triggers.disableTrigger(this.ctx(authorization), t.namespace, t.flowId, t.triggerId);
      else await this.triggers.enableTrigger(this.ctx(authorization), t.namespace, t.flowId, t.triggerId);
    }
    return { count: request.triggers.length };
  }

  /** Backfill of a Schedule: `{ namespace, flowId, triggerId, backfill: { start, end, rerunSucceeded? } }`. */
  @ApiRoute({ tag: 'Triggers', summary: 'Backfill a Schedule: { namespace, flowId, triggerId, backfill: { start, end, rerunSucceeded? } }', body: 'json-object', returns: 'BackfillResult' })
  @Put()
  async update(@Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    const request = body as (TriggerRef & { backfill?: { start?: unknown; end?: unknown; rerunSucceeded?: unknown } }) | undefined;
    const backfill = request?.backfill;
    if (!isTriggerRef(request) || !backfill || typeof backfill.start !== 'string' || typeof backfill.end !== 'string' || Number.isNaN(Date.parse(backfill.start)) || Number.isNaN(Date.parse(backfill.end))) {
      throw new BadUserInputError('the body must be { "namespace", "flowId", "triggerId", "backfill": { "start": <ISO date>, "end": <ISO date> } } (Chronicle changes triggers only by backfill and set-disabled)');
    }
    return this.triggers.backfillTrigger(this.ctx(authorization), request.namespace, request.flowId, request.triggerId, new Date(backfill.start), new Date(backfill.end), backfill.rerunSucceeded === true);
  }

  private ctx(authorization: string | undefined) {
    return { principal: this.access.principal(authorization) };
  }
}

function isTriggerRef(value: unknown): value is TriggerRef {
  const v = value as Partial<TriggerRef> | undefined;
  return typeof v?.namespace === 'string' && typeof v.flowId === 'string' && typeof v.triggerId === 'string';
}

function paged<T>(all: readonly T[], pageParam: string | undefined, sizeParam: string | undefined) {
  const page = queryParams.int('page', pageParam, { min: 1 }) ?? 1;
  const size = queryParams.int('size', sizeParam, { min: 1, max: 500 }) ?? 10;
  return { results: all.slice((page - 1) * size, page * size), total: all.length };
}
