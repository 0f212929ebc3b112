import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ExecutionRepository } from '@chronicle/use-cases';
import type { ReadModelQueries } from '@chronicle/read-model';
import { EXECUTIONS, READ_MODEL } from '../gateway.tokens.js';
import { hideValues, hideValuesDeep, SecretMasking, TASK_RUN_KEYS } from '../secrets/secret-masking.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { ExecutionEventType, ExecutionType, LogEntryType, TaskRunType } from './execution.types.js';
import { JSONScalar } from './scalars.js';

/** The secret values of one execution, loaded once per request (or subscription). */
abstract class SecretValues {
  constructor(protected readonly secrets: SecretMasking, private readonly readModel: ReadModelQueries, private readonly executions: ExecutionRepository) {}

  protected values(ctx: GraphQLRequestContext, executionId: string): Promise<string[]> {
    // The read model may lag a creation: the store is the truth (the values are cached for the whole subscription).
    const load = async () => (await this.readModel.getExecution(executionId)) ?? (await this.executions.load(executionId));
    return this.secrets.valuesIn(ctx, executionId, load);
  }
}

/**
 * SECRET inputs never leave the gateway: these field resolvers are the one place every query,
 * mutation answer and subscription event that shows an execution, its events or its log lines
 * passes through. Inputs show the mask; the values, wherever a task copied them (rendered
 * properties, outputs, errors, log lines), are replaced by it.
 */
@Resolver(() => ExecutionType)
export class ExecutionSecretsResolver extends SecretValues {
  constructor(@Inject(SecretMasking) secrets: SecretMasking, @Inject(READ_MODEL) readModel: ReadModelQueries, @Inject(EXECUTIONS) executions: ExecutionRepository) {
    super(secrets, readModel, executions);
  }

  @ResolveField('inputs', () => JSONScalar, { nullable: true })
  inputs(@Parent() execution: ExecutionType): Promise<unknown> {
    return this.secrets.inputs(execution);
  }

  @ResolveField('outputs', () => JSONScalar, { nullable: true })
  async outputs(@Context() ctx: GraphQLRequestContext, @Parent() execution: ExecutionType): Promise<unknown> {
    this.secrets.remember(ctx, execution);
    return hideValuesDeep(execution.outputs, await this.values(ctx, execution.id));
  }

  @ResolveField('labels', () => JSONScalar, { nullable: true })
  async labels(@Context() ctx: GraphQLRequestContext, @Parent() execution: ExecutionType): Promise<unknown> {
    this.secrets.remember(ctx, execution);
    return hideValuesDeep(execution.labels, await this.values(ctx, execution.id));
  }

  @ResolveField('trigger', () => JSONScalar, { nullable: true })
  async trigger(@Context() ctx: GraphQLRequestContext, @Parent() execution: ExecutionType): Promise<unknown> {
    this.secrets.remember(ctx, execution);
    return hideValuesDeep(execution.trigger, await this.values(ctx, execution.id));
  }

  @ResolveField('taskRuns', () => [TaskRunType])
  async taskRuns(@Context() ctx: GraphQLRequestContext, @Parent() execution: ExecutionType): Promise<TaskRunType[]> {
    this.secrets.remember(ctx, execution);
    return hideValuesDeep(execution.taskRuns, await this.values(ctx, execution.id), TASK_RUN_KEYS);
  }

  @ResolveField('error', () => String, { nullable: true, description: 'Why the execution failed, when it did.' })
  async error(@Context() ctx: GraphQLRequestContext, @Parent() execution: ExecutionType): Promise<string | undefined> {
    if (!execution.error) return execution.error;
    this.secrets.remember(ctx, execution);
    return hideValues(execution.error, await this.values(ctx, execution.id));
  }
}

@Resolver(() => ExecutionEventType)
export class ExecutionEventSecretsResolver extends SecretValues {
  constructor(@Inject(SecretMasking) secrets: SecretMasking, @Inject(READ_MODEL) readModel: ReadModelQueries, @Inject(EXECUTIONS) executions: ExecutionRepository) {
    super(secrets, readModel, executions);
  }

  @ResolveField('data', () => JSONScalar)
  async data(@Context() ctx: GraphQLRequestContext, @Parent() event: ExecutionEventType): Promise<unknown> {
    const data = await this.secrets.eventData(event.data);
    const executionId = event.streamId?.startsWith('execution-') ? event.streamId.slice('execution-'.length) : undefined;
    return executionId ? hideValuesDeep(data, await this.values(ctx, executionId)) : data;
  }
}

@Resolver(() => LogEntryType)
export class LogSecretsResolver extends SecretValues {
  constructor(@Inject(SecretMasking) secrets: SecretMasking, @Inject(READ_MODEL) readModel: ReadModelQueries, @Inject(EXECUTIONS) executions: ExecutionRepository) {
    super(secrets, readModel, executions);
  }

  @ResolveField('message', () => String)
  async message(@Context() ctx: GraphQLRequestContext, @Parent() log: LogEntryType): Promise<string> {
    return hideValues(log.message, await this.values(ctx, log.executionId));
  }
}
