import { Body, Controller, Get, Headers, Inject, Param, Patch, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { ControlRequest } from '@chronicle/use-cases';
import type { ExecutionView, ReadModelQueries } from '@chronicle/read-model';
import { AccessControl } from '../auth/request-principal.js';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { EACH_RESULT } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import { ExecutionCommands } from '../commands/execution-commands.js';
import { collectAncestors, collectDescendants } from '../commands/execution-tree.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { READ_MODEL } from '../gateway.tokens.js';
import { hideValuesDeep, SecretMasking, TASK_RUN_KEYS } from '../secrets/secret-masking.js';
import { toKestraExecution } from './kestra-execution.view.js';
import { ExecutionNotFoundError } from '@chronicle/domain';

/**
 * Steering a running (or ended) execution and reading its tree over REST, next to Kestra's paths
 * (Kestra's `POST /executions/:id/labels` is not offered: it is the same path as a start of a flow
 * named `labels`; PATCH sets labels instead):
 * - `PATCH /api/v1/executions/:id` `{ labels?, message?, priority?, name?, description? }`;
 * - `GET /api/v1/executions/:id/children`, `.../descendants` (Kestra's shape, with states), and
 *   `.../ancestors` (its parent first, the top execution last; empty for a top execution).
 */
@Controller('api/v1/executions')
export class ExecutionSteeringController {
  constructor(
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ExecutionCommands) private readonly commands: ExecutionCommands,
    @Inject(SecretMasking) private readonly secrets: SecretMasking,
  ) {}

  @ApiRoute({ tag: 'Executions', summary: 'Steer an execution: its status message, priority, name, description or labels', body: 'json-object', returns: 'Execution' })
  @Patch(':id')
  async update(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string, @Body() body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadUserInputError('the body must be a JSON object { labels?, message?, priority?, name?, description? }');
    const { labels, message, priority, name, description, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new BadUserInputError(`unknown field ${unknown[0]}: expected labels, message, priority, name or description`);
    if (labels !== undefined && (typeof labels !== 'object' || labels === null || Array.isArray(labels))) throw new BadUserInputError('labels must be an object of names to strings');
    return this.steer(req, authorization, id, {
      type: 'UpdateExecution',
      ...(labels !== undefined ? { labels: labels as Record<string, string> } : {}),
      ...(message !== undefined ? { message: message as string } : {}),
      ...(priority !== undefined ? { priority: priority as number } : {}),
      ...(name !== undefined ? { name: name as string } : {}),
      ...(description !== undefined ? { description: description as string } : {}),
    });
  }

  @ApiRoute({ tag: 'Executions', summary: 'The executions this one started (its Subflow children)', returns: 'Execution[]' })
  @Get(':id/children')
  async children(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    const principal = await this.readable(authorization, id);
    const page = await this.readModel.listExecutions({ parentId: id, first: 500 });
    return Promise.all([...page.nodes].reverse().filter((c) => this.access.allows(principal, 'read', c.namespace)).map((c) => this.view(c, req)));
  }

  @ApiRoute({ tag: 'Executions', summary: 'Every execution below this one, with their states', returns: 'Execution[]' })
  @Get(':id/descendants')
  async descendants(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    const principal = await this.readable(authorization, id);
    const all = await collectDescendants(this.readModel, id);
    return Promise.all(all.filter((c) => this.access.allows(principal, 'read', c.namespace)).map((c) => this.view(c, req)));
  }

  @ApiRoute({ tag: 'Executions', summary: 'The executions above this one: its parent first, the top of its tree last (empty when it has no parent)', returns: 'Execution[]' })
  @Get(':id/ancestors')
  async ancestors(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string) {
    const principal = await this.readable(authorization, id);
    const above = await collectAncestors(this.readModel, id);
    // As GraphQL's topExecution: the walk stops below an execution the caller may not read.
    const readable = above.findIndex((a) => !this.access.allows(principal, 'read', a.namespace));
    return Promise.all((readable === -1 ? above : above.slice(0, readable)).map((a) => this.view(a, req)));
  }

  private async steer(req: Request, authorization: string | undefined, id: string, request: ControlRequest) {
    const principal = this.access.require(this.access.principal(authorization), 'execute', EACH_RESULT);
    const execution = await this.commands.control(id, { ...request, actor: principal.name }, (namespace) => {
      if (!this.access.allows(principal, 'read', namespace)) throw new ExecutionNotFoundError(id);
      this.access.require(principal, 'execute', { namespace });
    });
    return this.view(execution, req);
  }

  private async readable(authorization: string | undefined, id: string): Promise<Principal> {
    const principal = this.access.require(this.access.principal(authorization), 'read', EACH_RESULT);
    const execution = await this.readModel.getExecution(id);
    if (!execution || !this.access.allows(principal, 'read', execution.namespace)) throw new ExecutionNotFoundError(id);
    return principal;
  }

  private async view(execution: ExecutionView, req: Request) {
    const values = await this.secrets.values(execution);
    return hideValuesDeep(toKestraExecution({ ...execution, inputs: (await this.secrets.inputs(execution)) ?? {} }, `${req.protocol}://${req.get('host')}`), values, TASK_RUN_KEYS);
  }
}
