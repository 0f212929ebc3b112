import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { createExecution, type Platform } from '@chronicle/application';
import type { ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { ExecutionCommands } from '../commands/execution-commands.js';
import { BadUserInputError, NotFoundError } from '../errors/api-errors.js';
import { PLATFORM, READ_MODEL } from '../gateway.tokens.js';
import { toKestraExecution } from './kestra-execution.view.js';

/** Kestra-compatible REST paths (CONTRACT.md). */
@Controller('api/v1/executions')
export class ExecutionsController {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ExecutionCommands) private readonly commands: ExecutionCommands,
  ) {}

  @Post(':namespace/:flowId')
  @HttpCode(200)
  async start(
    @Req() req: Request,
    @Headers('authorization') authorization: string | undefined,
    @Param('namespace') namespace: string,
    @Param('flowId') flowId: string,
    @Query('revision') revision: string | undefined,
    @Body() body: unknown,
  ) {
    const principal = this.access.require(this.access.principal(authorization), 'execute', namespace);
    const inputs = body ?? {};
    if (typeof inputs !== 'object' || Array.isArray(inputs)) throw new BadUserInputError('the body must be a JSON object of input ids to values');
    const rev = revision === undefined ? undefined : Number(revision);
    if (rev !== undefined && (!Number.isInteger(rev) || rev < 1)) throw new BadUserInputError('revision must be a positive integer');
    const { execution } = await createExecution(this.platform, { namespace, flowId, revision: rev, inputs: inputs as Record<string, unknown>, actor: principal.name });
    return toKestraExecution(execution, baseUrl(req));
  }

  @Get(':id')
  async get(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    const principal = this.access.require(this.access.principal(authorization), 'read');
    const execution = await this.readModel.getExecution(id);
    if (!execution || !this.access.allows(principal, 'read', execution.namespace)) throw new NotFoundError(`execution ${id} does not exist`);
    return toKestraExecution(execution, baseUrl(req));
  }

  /** Kestra's kill: the same command as the `killExecution` mutation, the same errors (409 when it cannot apply). */
  @Delete(':id/kill')
  @HttpCode(202)
  async kill(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    const principal = this.access.require(this.access.principal(authorization), 'execute');
    const execution = await this.commands.control(id, { type: 'KillExecution' }, (namespace) => {
      if (!this.access.allows(principal, 'read', namespace)) throw new NotFoundError(`execution ${id} does not exist`);
      this.access.require(principal, 'execute', namespace);
    });
    return toKestraExecution(execution, baseUrl(req));
  }
}

const baseUrl = (req: Request) => `${req.protocol}://${req.get('host')}`;
