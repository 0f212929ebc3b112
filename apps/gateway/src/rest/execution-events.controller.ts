import { Controller, Get, Headers, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toDomainEvent } from '@chronicle/contracts';
import { executionStreamId, isTerminal, type State, ExecutionNotFoundError } from '@chronicle/domain';
import type { ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { EVENT_STORE, LIVE_UPDATES, READ_MODEL } from '../gateway.tokens.js';
import { executionEventFeed } from '../live/execution-feeds.js';
import type { LiveUpdates } from '../live/live-updates.js';
import { hideValuesDeep, SecretMasking } from '../secrets/secret-masking.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { apiError, errorBody } from '../errors/error-mapping.js';
import type { EventStore } from '@chronicle/event-store';

/** Sent as an SSE comment so proxies keep an idle stream open. */
const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/v1/executions/{id}/events`: Server-Sent Events, one per execution event, with the
 * stream revision as the SSE id. A client that reconnects sends `Last-Event-ID` (or
 * `?afterRevision=`) and receives what it missed first, then live events: in order, each once,
 * like the `executionEvents` subscription. The stream ends after the execution's terminal event.
 */
@Controller('api/v1/executions')
export class ExecutionEventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(LIVE_UPDATES) private readonly live: LiveUpdates,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(SecretMasking) private readonly secrets: SecretMasking,
  ) {}

  @ApiRoute({ tag: 'Executions', summary: 'The events of an execution as Server-Sent Events, resumable with Last-Event-ID', returns: 'event-stream', headers: { 'last-event-id': 'Resume after this stream revision' }, query: { afterRevision: { type: 'integer', minimum: -1, description: 'Like Last-Event-ID' } } })
  @Get(':id/events')
  async events(
    @Req() req: Request,
    @Res() res: Response,
    @Headers('authorization') authorization: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Param('id') id: string,
    @Query('afterRevision') afterRevisionParam: string | undefined,
  ): Promise<void> {
    const principal = this.access.require(this.access.principal(authorization), 'read', EACH_RESULT);
    const resume = lastEventId ?? afterRevisionParam;
    const afterRevision = resume === undefined || resume === '' ? -1 : Number(resume);
    if (!Number.isInteger(afterRevision) || afterRevision < -1) throw new BadUserInputError('Last-Event-ID (or afterRevision) must be a stream revision: an integer, 0 or more');
    const [first] = await this.store.readStream(executionStreamId(id), { maxCount: 1 });
    const namespace = (first?.data as { namespace?: string } | undefined)?.namespace;
    if (namespace === undefined || !this.access.allows(principal, 'read', namespace)) throw new ExecutionNotFoundError(id);
    // The creation event holds the inputs: the SECRET values to hide wherever a task copied them.
    const secretValues = await this.secrets.values(toDomainEvent(first!).data as { namespace: string; flowId: string; flowRevision: number; inputs: unknown });

    res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    const feed = executionEventFeed({ store: this.store, live: this.live, readModel: this.readModel }, id, afterRevision);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = () => void feed.queue.return();
    req.on('close', close);
    try {
      for await (const event of feed.queue) {
        res.write(`id: ${event.revision}\nevent: ${event.type}\ndata: ${JSON.stringify(hideValuesDeep({ ...event, streamId: undefined, data: await this.secrets.eventData(event.data) }, secretValues))}\n\n`);
        if (endsExecution(event.type, event.data)) break;
      }
    } catch {
      res.write(`event: error\ndata: ${JSON.stringify(errorBody(apiError('INTERNAL', 'the event stream failed; reconnect with Last-Event-ID')))}\n\n`);
    } finally {
      clearInterval(heartbeat);
      req.off('close', close);
      await feed.queue.return();
      res.end();
    }
  }

  /** Kestra's path for the same stream. */
  @ApiRoute({ tag: 'Executions', summary: 'Follow an execution: its events as Server-Sent Events, resumable with Last-Event-ID', returns: 'event-stream', headers: { 'last-event-id': 'Resume after this stream revision' }, query: { afterRevision: { type: 'integer', minimum: -1, description: 'Like Last-Event-ID' } } })
  @Get(':id/follow')
  follow(
    @Req() req: Request,
    @Res() res: Response,
    @Headers('authorization') authorization: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Param('id') id: string,
    @Query('afterRevision') afterRevision: string | undefined,
  ): Promise<void> {
    return this.events(req, res, authorization, lastEventId, id, afterRevision);
  }
}

/** The execution reached a terminal state with this event. */
function endsExecution(type: string, data: unknown): boolean {
  if (type === 'ExecutionSucceeded' || type === 'ExecutionFailed') return true;
  const state = (data as { state?: unknown } | null)?.state;
  return type === 'ExecutionStateChanged' && typeof state === 'string' && isTerminal(state as State);
}
