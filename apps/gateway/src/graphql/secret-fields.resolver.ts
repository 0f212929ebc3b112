import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ReadModelQueries } from '@chronicle/read-model';
import type { Platform } from '@chronicle/application';
import { PLATFORM, READ_MODEL } from '../gateway.tokens.js';
import { hideValues, SecretMasking } from '../secrets/secret-masking.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { ExecutionEventType, ExecutionType, LogEntryType } from './execution.types.js';
import { JSONScalar } from './scalars.js';

/**
 * SECRET inputs never leave the gateway: these field resolvers are the one place every query,
 * mutation answer and subscription event that shows inputs, events or log lines passes through.
 */
@Resolver(() => ExecutionType)
export class ExecutionSecretsResolver {
  constructor(@Inject(SecretMasking) private readonly secrets: SecretMasking) {}

  @ResolveField('inputs', () => JSONScalar, { nullable: true })
  inputs(@Parent() execution: ExecutionType): Promise<unknown> {
    return this.secrets.inputs(execution);
  }
}

@Resolver(() => ExecutionEventType)
export class ExecutionEventSecretsResolver {
  constructor(@Inject(SecretMasking) private readonly secrets: SecretMasking) {}

  @ResolveField('data', () => JSONScalar)
  data(@Parent() event: ExecutionEventType): Promise<unknown> {
    return this.secrets.eventData(event.type, event.data);
  }
}

@Resolver(() => LogEntryType)
export class LogSecretsResolver {
  constructor(
    @Inject(SecretMasking) private readonly secrets: SecretMasking,
    @Inject(READ_MODEL) private readonly readModel: ReadModelQueries,
    @Inject(PLATFORM) private readonly platform: Platform,
  ) {}

  @ResolveField('message', () => String)
  async message(@Context() ctx: GraphQLRequestContext, @Parent() log: LogEntryType): Promise<string> {
    // The read model may lag a creation: the store is the truth (the values are cached for the whole subscription).
    const load = async () => (await this.readModel.getExecution(log.executionId)) ?? (await this.platform.executions.load(log.executionId));
    const values = await this.secrets.valuesIn(ctx, log.executionId, load);
    return hideValues(log.message, values);
  }
}
