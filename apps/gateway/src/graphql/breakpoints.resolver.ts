import { Inject } from '@nestjs/common';
import { Args, Context, Field, ID, Mutation, ObjectType, Parent, ResolveField, Resolver, registerEnumType } from '@nestjs/graphql';
import { BREAKPOINT_ACTIONS, type BreakpointAction, type ExecutionOptions } from '@chronicle/domain';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import { ExecutionCommands } from '../commands/execution-commands.js';
import { ExecutionNotFoundError } from '@chronicle/domain';
import type { GraphQLRequestContext } from './graphql-context.js';
import { ExecutionType, TaskRunType } from './execution.types.js';
import { toExecutionType } from './mappers.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';

export const BreakpointActionEnum = Object.fromEntries(BREAKPOINT_ACTIONS.map((a) => [a, a])) as Record<BreakpointAction, BreakpointAction>;
registerEnumType(BreakpointActionEnum, {
  name: 'BreakpointAction',
  description: 'CONTINUE: run to the next breakpoint (step mode off); STEP: run this task and pause before the next (step mode on); SKIP: end this task SKIPPED. Abort is killExecution.',
});

@ObjectType('Breakpoint', { description: 'A task run stopped before its first step (a breakpoint, or step mode).' })
export class BreakpointType {
  @Field(() => DateTimeScalar) since!: string;
  @Field(() => JSONScalar, { nullable: true, description: 'The task\'s properties rendered as it would run with them now.' }) properties?: unknown;
  @Field(() => String, { nullable: true, description: 'Why the properties cannot be rendered (the task fails with it if it goes on).' }) error?: string;
}

@Resolver(() => TaskRunType)
export class TaskRunBreakpointResolver {
  @ResolveField('breakpoint', () => BreakpointType, { nullable: true, description: 'Set while the execution is paused before this task run.' })
  breakpoint(@Parent() taskRun: TaskRunType): BreakpointType | null {
    const hold = taskRun.breakpointHold;
    return hold !== undefined && taskRun.state === 'CREATED' ? hold : null;
  }
}

const optionsOf = (execution: ExecutionType): ExecutionOptions => execution.options ?? {};

/** Breakpoints and step mode on `Execution`, and the operator's answer to a breakpoint. */
@Resolver(() => ExecutionType)
export class BreakpointsResolver {
  constructor(@Inject(ExecutionCommands) private readonly commands: ExecutionCommands, @Inject(AccessControl) private readonly access: AccessControl) {}

  @ResolveField('breakpoints', () => [String], { description: 'Task ids the run pauses before (chosen at start).' })
  breakpoints(@Parent() execution: ExecutionType): string[] { return [...(optionsOf(execution).breakpoints ?? [])]; }

  @ResolveField('stepMode', () => Boolean, { description: 'Whether it pauses before every task now (STEP turns it on, CONTINUE off).' })
  stepMode(@Parent() execution: ExecutionType): boolean {
    return execution.stepping ?? optionsOf(execution).stepMode === true;
  }

  @Mutation(() => ExecutionType, { description: 'Answers the breakpoint a PAUSED execution stopped at: CONTINUE, STEP or SKIP (abort: killExecution).' })
  resolveBreakpoint(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('action', { type: () => BreakpointActionEnum }) action: BreakpointAction,
  ): Promise<ExecutionType> {
    const principal = this.access.require(ctx.principal, 'execute', EACH_RESULT);
    return this.commands.control(id, { type: 'ResolveBreakpoint', action, actor: principal.name }, (namespace) => this.requireIn(principal, id, namespace)).then(toExecutionType);
  }

  private requireIn(principal: Principal, id: string, namespace: string): void {
    if (!this.access.allows(principal, 'read', namespace)) throw new ExecutionNotFoundError(id);
    this.access.require(principal, 'execute', { namespace });
  }
}
