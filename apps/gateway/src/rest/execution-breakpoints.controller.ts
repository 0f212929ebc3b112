import { Controller, Headers, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { BREAKPOINT_ACTIONS, type BreakpointAction } from '@chronicle/domain';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import { ExecutionCommands } from '../commands/execution-commands.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { ExecutionNotFoundError } from '@chronicle/domain';
import { ApiRoute } from '../openapi/api-route.decorator.js';
import { ExecutionPresenter } from './execution-presenter.js';

/**
 * The operator's answer to a breakpoint over REST: `POST /api/v1/executions/:id/breakpoint/continue`,
 * `.../step`, `.../skip` (abort: `DELETE /api/v1/executions/:id/kill`). 409 when the execution is not
 * paused at a breakpoint.
 */
@Controller('api/v1/executions')
export class ExecutionBreakpointsController {
  constructor(
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(ExecutionCommands) private readonly commands: ExecutionCommands,
    @Inject(ExecutionPresenter) private readonly presenter: ExecutionPresenter,
  ) {}

  @ApiRoute({ tag: 'Executions', summary: 'Answer the breakpoint an execution is paused at: continue, step or skip', returns: 'Execution', errors: { 409: 'Not paused at a breakpoint' } })
  @Post(':id/breakpoint/:action')
  @HttpCode(200)
  async resolve(@Req() req: Request, @Headers('authorization') authorization: string | undefined, @Param('id') id: string, @Param('action') actionParam: string) {
    const action = actionParam.toUpperCase() as BreakpointAction;
    if (!BREAKPOINT_ACTIONS.includes(action)) throw new BadUserInputError(`action must be continue, step or skip, got ${JSON.stringify(actionParam)}`, { parameter: 'action' });
    const principal = this.access.require(this.access.principal(authorization), 'execute', EACH_RESULT);
    const execution = await this.commands.control(id, { type: 'ResolveBreakpoint', action, actor: principal.name }, (namespace) => {
      if (!this.access.allows(principal, 'read', namespace)) throw new ExecutionNotFoundError(id);
      this.access.require(principal, 'execute', { namespace });
    });
    return this.presenter.present(execution, req);
  }
}
