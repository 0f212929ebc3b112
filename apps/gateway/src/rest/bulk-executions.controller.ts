import { Body, Controller, Delete, Headers, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Clock } from '@chronicle/runtime';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import { BULK_PERMISSION, BulkExecutionCommands, type BulkAction } from '../commands/bulk-execution-commands.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { CLOCK } from '../gateway.tokens.js';
import { ApiRoute, type RouteDoc } from '../openapi/api-route.decorator.js';
import { EXECUTION_FILTER_QUERY, executionFilterOf } from './execution-filter.query.js';
import { queryParams } from './query-params.js';

type Query = Record<string, unknown>;

const BY_IDS = { tag: 'Executions', body: 'json-array', returns: 'BulkResponse', errors: { 400: { description: 'Nothing done: some executions are unknown (or out of reach) or refuse the action', schema: 'BulkErrorResponse' } } } as const;
const BY_QUERY = { ...BY_IDS, body: undefined, query: EXECUTION_FILTER_QUERY, description: 'Selects from the read model (it may lag the log briefly), within the caller\'s namespaces; an unknown query parameter is a 400, never ignored.' } as const;
const doc = (base: Omit<RouteDoc, 'summary'>, summary: string, extra: Partial<RouteDoc> = {}): RouteDoc => ({ ...base, summary, ...extra } as RouteDoc);

/** Kestra's `deleteLogs` / `deleteMetrics` / `deleteStorage`: Chronicle's delete always removes all of it. */
const DELETE_QUERY = {
  includeNonTerminated: { type: 'boolean', description: 'Only false: a live execution is killed first, then deleted' },
  deleteLogs: { type: 'boolean', description: 'Only true: logs go with the execution' },
  deleteMetrics: { type: 'boolean', description: 'Only true' },
  deleteStorage: { type: 'boolean', description: 'Only true' },
} as const;

/**
 * Kestra's bulk routes over executions, by a list of ids (the JSON body) or by the search's filters
 * (query parameters): kill, pause, resume, restart, replay, labels and delete. Answers
 * `{ count }`; when an execution is unknown or refuses the action, nothing is done and the answer
 * is a 400 `{ message, invalids: [{ message, invalidValue, code }] }` (Kestra's BulkErrorResponse).
 * Registered before the single-execution routes: `/executions/restart/by-ids` is not the start of
 * a flow `by-ids` in a namespace `restart`.
 */
@Controller('api/v1/executions')
export class BulkExecutionsController {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(BulkExecutionCommands) private readonly bulk: BulkExecutionCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ApiRoute(doc(BY_IDS, 'Kill a list of executions'))
  @Delete('kill/by-ids')
  killByIds(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    return this.byIds(res, authorization, body, { kind: 'kill' });
  }

  @ApiRoute(doc(BY_QUERY, 'Kill the executions matching the filters'))
  @Delete('kill/by-query')
  killByQuery(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Query() query: Query) {
    return this.byQuery(res, authorization, query, { kind: 'kill' });
  }

  @ApiRoute(doc(BY_IDS, 'Pause a list of running executions'))
  @Post('pause/by-ids')
  @HttpCode(200)
  pauseByIds(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    return this.byIds(res, authorization, body, { kind: 'pause' });
  }

  @ApiRoute(doc(BY_QUERY, 'Pause the running executions matching the filters'))
  @Post('pause/by-query')
  @HttpCode(200)
  pauseByQuery(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Query() query: Query) {
    return this.byQuery(res, authorization, query, { kind: 'pause' });
  }

  @ApiRoute(doc(BY_IDS, 'Resume a list of paused executions'))
  @Post('resume/by-ids')
  @HttpCode(200)
  resumeByIds(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    return this.byIds(res, authorization, body, { kind: 'resume' });
  }

  @ApiRoute(doc(BY_QUERY, 'Resume the paused executions matching the filters'))
  @Post('resume/by-query')
  @HttpCode(200)
  resumeByQuery(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Query() query: Query) {
    return this.byQuery(res, authorization, query, { kind: 'resume' });
  }

  @ApiRoute(doc(BY_IDS, 'Restart the failed task runs of a list of executions'))
  @Post('restart/by-ids')
  @HttpCode(200)
  restartByIds(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    return this.byIds(res, authorization, body, { kind: 'restart' });
  }

  @ApiRoute(doc(BY_QUERY, 'Restart the executions matching the filters'))
  @Post('restart/by-query')
  @HttpCode(200)
  restartByQuery(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Query() query: Query) {
    return this.byQuery(res, authorization, query, { kind: 'restart' });
  }

  @ApiRoute(doc(BY_IDS, 'Replay a list of ended executions (new executions, same flow revision and inputs)'))
  @Post('replay/by-ids')
  @HttpCode(200)
  replayByIds(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    return this.byIds(res, authorization, body, { kind: 'replay' });
  }

  @ApiRoute(doc(BY_QUERY, 'Replay the ended executions matching the filters'))
  @Post('replay/by-query')
  @HttpCode(200)
  replayByQuery(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Query() query: Query) {
    return this.byQuery(res, authorization, query, { kind: 'replay' });
  }

  /** Kestra's body `{ executionsId: [...], executionLabels: [{ key, value }] }`; existing labels with other keys stay. */
  @ApiRoute(doc(BY_IDS, 'Add labels to a list of executions', { body: 'json-object' }))
  @Post('labels/by-ids')
  @HttpCode(200)
  labelsByIds(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Body() body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadUserInputError('the body must be { "executionsId": [ids], "executionLabels": [{ "key": ..., "value": ... }] }');
    const { executionsId, executionLabels, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw new BadUserInputError(`unknown field ${unknown}: expected executionsId and executionLabels`, { field: unknown });
    return this.byIds(res, authorization, executionsId, { kind: 'labels', labels: labelsOf(executionLabels, 'executionLabels') }, 'executionsId');
  }

  /** Kestra's body: the labels to add, `[{ key, value }]`. */
  @ApiRoute(doc(BY_QUERY, 'Add labels to the executions matching the filters', { body: 'json-array' }))
  @Post('labels/by-query')
  @HttpCode(200)
  labelsByQuery(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Query() query: Query, @Body() body: unknown) {
    return this.byQuery(res, authorization, query, { kind: 'labels', labels: labelsOf(body, 'body') });
  }

  @ApiRoute(doc(BY_IDS, 'Delete (purge) a list of ended executions', { query: DELETE_QUERY }))
  @Delete('by-ids')
  deleteByIds(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Query() query: Query, @Body() body: unknown) {
    deleteOptions(query, true);
    return this.byIds(res, authorization, body, { kind: 'delete' });
  }

  @ApiRoute(doc(BY_QUERY, 'Delete (purge) the ended executions matching the filters', { query: { ...EXECUTION_FILTER_QUERY, ...DELETE_QUERY } }))
  @Delete('by-query')
  deleteByQuery(@Res({ passthrough: true }) res: Response, @Headers('authorization') authorization: string | undefined, @Query() query: Query) {
    // The filters are checked with the options by executionFilterOf.
    deleteOptions(query, false);
    return this.byQuery(res, authorization, query, { kind: 'delete' }, Object.keys(DELETE_QUERY));
  }

  private async byIds(res: Response, authorization: string | undefined, body: unknown, action: BulkAction, field = 'body') {
    const principal = this.caller(authorization, action);
    if (!Array.isArray(body) || !body.every((id) => typeof id === 'string' && id !== '')) {
      throw new BadUserInputError(`${field === 'body' ? 'the body' : field} must be a JSON array of execution ids`, { field });
    }
    return this.answer(res, await this.bulk.run(principal, body as string[], action));
  }

  private async byQuery(res: Response, authorization: string | undefined, query: Query, action: BulkAction, allowed: readonly string[] = []) {
    const filter = executionFilterOf(query, new Date(this.clock.now()).toISOString(), allowed);
    // With a namespace, the caller must hold the permission there (403 otherwise); without, the query stays in its namespaces.
    const principal = this.access.require(this.access.principal(authorization), BULK_PERMISSION[action.kind], filter.namespace ? { namespace: filter.namespace } : EACH_RESULT);
    return this.answer(res, await this.bulk.run(principal, await this.bulk.select(principal, filter), action));
  }

  private caller(authorization: string | undefined, action: BulkAction): Principal {
    return this.access.require(this.access.principal(authorization), BULK_PERMISSION[action.kind], EACH_RESULT);
  }

  private answer(res: Response, outcome: Awaited<ReturnType<BulkExecutionCommands['run']>>) {
    if (outcome.ok) return { count: outcome.count, ...(outcome.skipped ? { skipped: outcome.skipped } : {}) };
    res.status(400);
    return { code: 'BAD_USER_INPUT', message: outcome.message, invalids: outcome.invalids };
  }
}

/** Kestra's `[{ key, value }]` labels (its `Label` record) as a map. */
function labelsOf(raw: unknown, field: string): Record<string, string> {
  if (!Array.isArray(raw)) throw new BadUserInputError(`${field} must be a JSON array of { "key": ..., "value": ... }`, { field });
  const labels: Record<string, string> = {};
  raw.forEach((label: unknown, i) => {
    const { key, value } = (label ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || key === '' || typeof value !== 'string') throw new BadUserInputError(`${field}[${i}] must be { "key": "<text>", "value": "<text>" }`, { field: `${field}[${i}]` });
    labels[key] = value;
  });
  return labels;
}

/** Kestra's delete options: only the ones Chronicle does (a partial delete would leave rows Chronicle cannot show). */
function deleteOptions(query: Query, refuseOthers: boolean): void {
  for (const name of refuseOthers ? Object.keys(query) : []) {
    if (!(name in DELETE_QUERY)) {
      throw new BadUserInputError(`unknown query parameter ${name}: expected ${Object.keys(DELETE_QUERY).join(', ')}`, { parameter: name });
    }
  }
  if (queryParams.bool('includeNonTerminated', queryParams.string('includeNonTerminated', query.includeNonTerminated)) === true) {
    throw new BadUserInputError('query parameter includeNonTerminated=true is not supported: kill the executions first, then delete them', { parameter: 'includeNonTerminated' });
  }
  for (const name of ['deleteLogs', 'deleteMetrics', 'deleteStorage']) {
    if (queryParams.bool(name, queryParams.string(name, query[name])) === false) {
      throw new BadUserInputError(`query parameter ${name}=false is not supported: Chronicle deletes an execution with its logs, metrics and files`, { parameter: name });
    }
  }
}
