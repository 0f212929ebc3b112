import { Controller, Get, Headers, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { LogView, ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { EVENT_STORE, LIVE_UPDATES, READ_MODEL } from '../gateway.tokens.js';
import { executionLogFeed } from '../live/execution-feeds.js';
import type { LiveUpdates } from '../live/live-updates.js';
import { ExecutionReader } from '../reads/execution-reader.js';
import { hideValuesDeep, SecretMasking } from '../secrets/secret-masking.js';
import { queryParams } from './query-params.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { ExecutionNotFoundError } from '@chronicle/domain';
import { apiError, errorBody } from '../errors/error-mapping.js';
import type { EventStore } from '@chronicle/event-store';
import { LOG_LEVELS } from '@chronicle/domain';

const LEVELS = LOG_LEVELS;
const LOG_QUERY = { minLevel: { type: 'string', enum: LEVELS, description: 'The lowest level shown' }, taskId: { type: 'string' } } as const;

/**
 * Kestra's log routes: one execution's lines in arrival order (JSON or a text download),
 * optionally from `minLevel` and for one `taskId`. Logs come from the read model: a line
 * written a moment ago may show a moment later.
 */
@Controller('api/v1/logs')
export class LogsController {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ExecutionReader) private readonly reader: ExecutionReader,
    @Inject(SecretMasking) private readonly secrets: SecretMasking,
    @Inject(LIVE_UPDATES) private readonly live: LiveUpdates,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /**
   * Kestra's log follow: Server-Sent Events, one per line (stored ones first, then live), the
   * line's id as the SSE id so a reconnect with Last-Event-ID resumes after it. Open until the
   * client closes it (lines may come after the execution ended).
   */
  @ApiRoute({ tag: 'Logs', summary: 'Follow the log lines of an execution (Server-Sent Events)', returns: 'event-stream', headers: { 'last-event-id': 'Resume after this line id' } })
  @Get(':executionId/follow')
  async follow(@Req() req: Request, @Res() res: Response, @Headers('authorization') authorization: string | undefined, @Headers('last-event-id') lastEventId: string | undefined, @Param('executionId') id: string): Promise<void> {
    const principal = this.access.require(this.access.principal(authorization), 'read', EACH_RESULT);
    if (lastEventId !== undefined && !/^\d+$/.test(lastEventId)) throw new BadUserInputError('Last-Event-ID must be a log line id (digits)', { parameter: 'Last-Event-ID' });
    const execution = await this.reader.get(id);
    if (!execution || !this.access.allows(principal, 'read', execution.namespace)) throw new ExecutionNotFoundError(id);
    const secretValues = await this.secrets.values(execution);
    res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    const feed = executionLogFeed({ store: this.store, live: this.live, readModel: this.readModel }, id, lastEventId);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const close = () => void feed.queue.return();
    req.on('close', close);
    try {
      for await (const line of feed.queue) {
        res.write(`id: ${line.id}\nevent: log\ndata: ${JSON.stringify(hideValuesDeep({ namespace: execution.namespace, flowId: execution.flowId, ...line, id: undefined }, secretValues))}\n\n`);
      }
    } catch {
      res.write(`event: error\ndata: ${JSON.stringify(errorBody(apiError('INTERNAL', 'the log stream failed; reconnect with Last-Event-ID')))}\n\n`);
    } finally {
      clearInterval(heartbeat);
      req.off('close', close);
      await feed.queue.return();
      res.end();
    }
  }

  @ApiRoute({ tag: 'Logs', summary: 'The log lines of an execution', returns: 'LogEntry[]', query: LOG_QUERY })
  @Get(':executionId')
  async list(@Headers('authorization') authorization: string | undefined, @Param('executionId') id: string, @Query('minLevel') minLevel: unknown, @Query('taskId') taskId: unknown) {
    return (await this.lines(authorization, id, minLevel, taskId)).map(({ id: _row, ...line }) => line);
  }

  @ApiRoute({ tag: 'Logs', summary: 'Download the log lines of an execution as text', returns: 'text', query: LOG_QUERY })
  @Get(':executionId/download')
  async download(@Res() res: Response, @Headers('authorization') authorization: string | undefined, @Param('executionId') id: string, @Query('minLevel') minLevel: unknown, @Query('taskId') taskId: unknown) {
    const lines = await this.lines(authorization, id, minLevel, taskId);
    res.status(200).set({ 'content-type': 'text/plain; charset=utf-8', 'content-disposition': `attachment; filename="${id}.log"` });
    res.send(lines.map((l) => `${l.timestamp} ${l.level.padEnd(5)} ${l.taskId ?? '-'} ${l.message}\n`).join(''));
  }

  private async lines(authorization: string | undefined, id: string, minLevelParam: unknown, taskIdParam: unknown): Promise<(LogView & { namespace: string; flowId: string })[]> {
    const principal = this.access.require(this.access.principal(authorization), 'read', EACH_RESULT);
    const minLevel = queryParams.string('minLevel', minLevelParam)?.toUpperCase();
    if (minLevel !== undefined && !(LEVELS as readonly string[]).includes(minLevel)) throw new BadUserInputError(`query parameter minLevel must be one of ${LEVELS.join(', ')} (got "${minLevel}")`, { parameter: 'minLevel' });
    const taskId = queryParams.string('taskId', taskIdParam);
    // Authorized before any wait: another namespace's execution answers at once, as a missing one.
    // (Without a stream in the log, `projected` answers the read model's row at once.)
    const seen = (await this.reader.get(id)) ?? (await this.reader.projected(id));
    if (!seen || !this.access.allows(principal, 'read', seen.namespace)) throw new ExecutionNotFoundError(id);
    // Once the read model holds what the log does: the lines stored with the rows come with it.
    const execution = (await this.reader.projected(id)) ?? seen;
    const secretValues = await this.secrets.values(execution);
    const logs = (await this.readModel.getLogs(id, minLevel)).filter((l) => taskId === undefined || l.taskId === taskId);
    return hideValuesDeep(logs.map((l) => ({ namespace: execution.namespace, flowId: execution.flowId, ...l })), secretValues);
  }
}
