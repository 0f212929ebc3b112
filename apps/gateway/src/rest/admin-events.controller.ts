import { createInterface } from 'node:readline';
import { Controller, Get, Headers, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { exportEvents, importEvents, type ImportResult } from '@chronicle/use-cases';
import { AccessControl } from '../auth/request-principal.js';
import { GLOBAL } from '../auth/authorization.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { EVENT_STORE } from '../gateway.tokens.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import type { EventStore } from '@chronicle/event-store';

/**
 * ADMIN: the log out and in, as NDJSON (one exported event per line).
 * - `GET /api/v1/admin/events:export?stream=<id>` one stream, or the whole log without `stream`
 *   (or with `all=true`), streamed in log order.
 * - `POST /api/v1/admin/events:import` (`content-type: application/x-ndjson`) appends them to this
 *   installation with their ids and revisions; importing the same file twice imports nothing new.
 */
@Controller('api/v1/admin')
export class AdminEventsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(AccessControl) private readonly access: AccessControl) {}

  @ApiRoute({ tag: 'Admin', summary: 'Export the event log (or one stream) as NDJSON', returns: 'ndjson', query: { stream: { type: 'string', description: 'One stream, e.g. execution-<id>' } } })
  @Get('events\\:export')
  async export(
    @Headers('authorization') authorization: string | undefined,
    @Query('stream') stream: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    // The log holds every namespace: export and import are global operations.
    this.access.require(this.access.principal(authorization), 'admin', GLOBAL);
    if (stream === '') throw new BadUserInputError('stream must name a stream, e.g. execution-<id>; omit it for the whole log');
    res.status(200).set({ 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
    try {
      for await (const event of exportEvents(this.store, { streamId: stream })) {
        if (!res.write(`${JSON.stringify(event)}\n`)) await new Promise((resolve) => res.once('drain', resolve));
      }
    } finally {
      res.end();
    }
  }

  @ApiRoute({ tag: 'Admin', summary: 'Import an NDJSON export into an empty log', body: 'ndjson', returns: 'ImportResult' })
  @Post('events\\:import')
  @HttpCode(200)
  async import(@Headers('authorization') authorization: string | undefined, @Req() req: Request): Promise<ImportResult> {
    this.access.require(this.access.principal(authorization), 'admin', GLOBAL);
    return importEvents(this.store, createInterface({ input: req, crlfDelay: Infinity }));
  }
}
