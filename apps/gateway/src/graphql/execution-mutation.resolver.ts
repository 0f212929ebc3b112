import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Resolver } from '@nestjs/graphql';
import { type ControlRequest } from '@chronicle/use-cases';
import type { ExecutionOptions, JsonObject, WrapperReference } from '@chronicle/domain';
import { AccessControl } from '../auth/request-principal.js';
import { EACH_RESULT } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import { ExecutionCommands } from '../commands/execution-commands.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { CREATE_EXECUTION, EXECUTION_ADMISSION, type CreateExecutionUseCase } from '../gateway.tokens.js';
import type { ExecutionAdmission } from '../admission/execution-admission.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { ExecutionType } from './execution.types.js';
import { toExecutionType } from './mappers.js';
import { toExecutionView } from '@chronicle/read-model';
import { JSONScalar } from './scalars.js';
import { ExecutionNotFoundError, systemLabelGivenAtStart } from '@chronicle/domain';
import { wrappersArg } from '../commands/wrapper-args.js';

/** Everything that starts or steers executions (the OPERATOR's part of the API). */
@Resolver(() => ExecutionType)
export class ExecutionMutationResolver {
  constructor(
    @Inject(CREATE_EXECUTION) private readonly create: CreateExecutionUseCase,
    @Inject(ExecutionCommands) private readonly commands: ExecutionCommands,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(EXECUTION_ADMISSION) private readonly admission: ExecutionAdmission,
  ) {}

  @Mutation(() => ExecutionType, { description: 'Starts an execution of the latest (or the given) flow revision. The same idempotencyKey answers the same execution. At capacity (CHRONICLE_MAX_IN_FLIGHT) it fails with TOO_MANY_REQUESTS and retryAfterSeconds: nothing was started.' })
  async createExecution(
    @Context() ctx: GraphQLRequestContext,
    @Args('namespace', { type: () => String }) namespace: string,
    @Args('flowId', { type: () => String }) flowId: string,
    @Args('inputs', { type: () => JSONScalar, nullable: true }) inputs?: Record<string, unknown>,
    @Args('labels', { type: () => JSONScalar, nullable: true }) labels?: Record<string, string>,
    @Args('revision', { type: () => Int, nullable: true }) revision?: number,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey?: string,
    @Args('priority', { type: () => Int, nullable: true, description: 'Higher first; replaces the flow\'s priority for this run.' }) priority?: number,
    @Args('maxRuntime', { type: () => String, nullable: true, description: 'ISO-8601 duration: the execution is killed once it ran that long (replaces the flow\'s timeout).' }) maxRuntime?: string,
    @Args('scheduledAt', { type: () => String, nullable: true, description: 'ISO-8601 date-time in the future: the execution stays CREATED until then (killExecution cancels it).' }) scheduledAt?: string,
    @Args('name', { type: () => String, nullable: true }) name?: string,
    @Args('description', { type: () => String, nullable: true }) description?: string,
    @Args('mode', { type: () => String, nullable: true, description: 'DEVELOPMENT: a test run (no downstream flow triggers, its own concurrency slots, left out of default lists); PRODUCTIVE by default.' }) mode?: string,
    @Args('source', { type: () => String, nullable: true, description: 'DEVELOPMENT mode only: run this flow source (a draft, not deployed) instead of a revision. Needs the deploy permission.' }) source?: string,
    @Args('breakpoints', { type: () => [String], nullable: true, description: 'Task ids to pause before (the paused task run shows its rendered properties); an unknown id refuses the start.' }) breakpoints?: string[],
    @Args('stepMode', { type: () => Boolean, nullable: true, description: 'Pause before every task (step-through).' }) stepMode?: boolean,
    @Args('wrappers', { type: () => JSONScalar, nullable: true, description: 'Wrappers added to this run, outside the flow\'s own: [{ namespace, flowId, inputs? }], the first outermost. The answer is then the outermost wrapper\'s execution.' }) wrappers?: unknown,
    @Args('unwrapped', { type: () => Boolean, nullable: true, description: 'The flow\'s declared wrappers are not used for this run (added ones still are).' }) unwrapped?: boolean,
  ): Promise<ExecutionType> {
    const principal = this.access.require(ctx.principal, 'execute', { namespace });
    // Running a source that was never deployed is deploying it for one run.
    if (source != null) this.access.require(ctx.principal, 'deploy', { namespace });
    // Admission control: under overload, TOO_MANY_REQUESTS (with retryAfterSeconds) before anything is written.
    const { execution } = await this.admission.start(() => this.create({
      options: runOptions({ priority, maxRuntime, scheduledAt, name, description, mode, breakpoints, stepMode }, principal.name),
      ...(source != null ? { draftSource: source } : {}),
      namespace,
      flowId,
      revision: revision ?? undefined,
      inputs: objectArg('inputs', inputs) ?? {},
      labels: labelsArg(labels),
      idempotencyKey: idempotencyKey ?? undefined,
      actor: principal.name,
      ...optionalWrapping(wrappersArg(wrappers, { namespace, id: flowId }), unwrapped),
    }));
    return toExecutionType(toExecutionView(execution));
  }

  @Mutation(() => ExecutionType, { description: 'CREATED or QUEUED: KILLED at once; RUNNING or PAUSED: KILLING, then KILLED once its task runs stopped.' })
  killExecution(@Context() ctx: GraphQLRequestContext, @Args('id', { type: () => ID }) id: string): Promise<ExecutionType> {
    return this.control(ctx, id, { type: 'KillExecution' });
  }

  @Mutation(() => ExecutionType, { description: 'A RUNNING execution becomes PAUSED: no new task run starts until resumeExecution.' })
  pauseExecution(@Context() ctx: GraphQLRequestContext, @Args('id', { type: () => ID }) id: string): Promise<ExecutionType> {
    return this.control(ctx, id, { type: 'PauseExecution' });
  }

  @Mutation(() => ExecutionType, { description: 'Resumes a paused execution (or its Pause task). approve: false rejects it (the paused task fails); inputs are the Pause task\'s outputs.' })
  resumeExecution(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('approve', { type: () => Boolean, nullable: true, defaultValue: true }) approve?: boolean,
    @Args('inputs', { type: () => JSONScalar, nullable: true }) inputs?: Record<string, unknown>,
  ): Promise<ExecutionType> {
    const resumeInputs = objectArg('inputs', inputs) as JsonObject | undefined;
    return this.control(ctx, id, { type: 'ResumeExecution', approve: approve ?? true, ...(resumeInputs ? { inputs: resumeInputs } : {}) });
  }

  @Mutation(() => ExecutionType, { description: 'Re-runs the failed task runs in the same execution (RESTARTED, then RUNNING).' })
  restartExecution(@Context() ctx: GraphQLRequestContext, @Args('id', { type: () => ID }) id: string): Promise<ExecutionType> {
    return this.control(ctx, id, { type: 'RestartExecution' });
  }

  @Mutation(() => ExecutionType, {
    description: 'A new execution with the same originalId, reusing the outputs of the task runs before fromTaskId; edited inputs and another flow revision allowed. The same idempotencyKey answers the same execution.',
  })
  async replayExecution(
    @Context() ctx: GraphQLRequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('fromTaskId', { type: () => String, nullable: true }) fromTaskId?: string,
    @Args('inputs', { type: () => JSONScalar, nullable: true }) inputs?: Record<string, unknown>,
    @Args('revision', { type: () => Int, nullable: true }) revision?: number,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey?: string,
  ): Promise<ExecutionType> {
    const principal = this.access.require(ctx.principal, 'execute', EACH_RESULT);
    const execution = await this.commands.replay(
      { executionId: id, fromTaskId: fromTaskId ?? undefined, inputs: objectArg('inputs', inputs), revision: revision ?? undefined, idempotencyKey: idempotencyKey ?? undefined, actor: principal.name },
      (namespace) => this.requireIn(principal, id, namespace),
    );
    return toExecutionType(execution);
  }

  private async control(ctx: GraphQLRequestContext, id: string, request: ControlRequest): Promise<ExecutionType> {
    const principal = this.access.require(ctx.principal, 'execute', EACH_RESULT);
    // The caller's name travels with the command: the executor writes it as the events' actor.
    return toExecutionType(await this.commands.control(id, { ...request, actor: principal.name }, (namespace) => this.requireIn(principal, id, namespace)));
  }

  private requireIn(principal: Principal, id: string, namespace: string): void {
    if (!this.access.allows(principal, 'read', namespace)) throw new ExecutionNotFoundError(id);
    this.access.require(principal, 'execute', { namespace });
  }
}

function objectArg(name: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new BadUserInputError(`${name} must be an object of input ids to values`);
  return value as Record<string, unknown>;
}

function labelsArg(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new BadUserInputError('labels must be an object of names to strings');
  const labels = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  const system = systemLabelGivenAtStart(labels);
  if (system) throw new BadUserInputError(`labels: ${system}`);
  return labels;
}

/** The run options of a start request, null/absent ones left out; the caller's token name as `startedBy`. */
export function runOptions(given: { priority?: number | null; maxRuntime?: string | null; scheduledAt?: string | null; name?: string | null; description?: string | null; mode?: string | null; breakpoints?: readonly string[] | null; stepMode?: boolean | null }, tokenName: string): ExecutionOptions {
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== null));
  return { ...set, startedBy: { kind: 'token', id: tokenName } } as ExecutionOptions;
}

/** `wrappers` and `unwrapped` of a start, when given. */
export function optionalWrapping(wrappers: readonly WrapperReference[] | undefined, unwrapped: boolean | null | undefined): { wrappers?: readonly WrapperReference[]; unwrapped?: boolean } {
  return { ...(wrappers !== undefined && wrappers.length > 0 ? { wrappers } : {}), ...(unwrapped === true ? { unwrapped: true } : {}) };
}
