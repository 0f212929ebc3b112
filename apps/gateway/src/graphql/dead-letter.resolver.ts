import { Inject } from '@nestjs/common';
import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { MAX_DEAD_LETTER_PAGE, type DeadLetter, type DeadLetterStore } from '@chronicle/messaging';
import { AccessControl } from '../auth/request-principal.js';
import { GLOBAL } from '../auth/authorization.js';
import type { Principal } from '../auth/token-registry.js';
import { BadUserInputError } from '../errors/api-errors.js';
import { DEAD_LETTERS } from '../gateway.tokens.js';
import type { GraphQLRequestContext } from './graphql-context.js';
import { DeadLetterQueueType, DeadLetterType } from './dead-letter.types.js';
import { DeadLetterMasking } from '../secrets/dead-letter-masking.js';

/**
 * Dead letters of every topic, for OPERATOR and ADMIN tokens valid in all namespaces (a dead
 * letter may belong to any namespace, or to none that can be told).
 */
@Resolver(() => DeadLetterType)
export class DeadLetterResolver {
  constructor(
    @Inject(DEAD_LETTERS) private readonly store: DeadLetterStore,
    @Inject(AccessControl) private readonly access: AccessControl,
    // SECRET input values a dead letter carries are hidden, for every caller (the topic keeps them for a redrive).
    @Inject(DeadLetterMasking) private readonly masking: DeadLetterMasking,
  ) {}

  @Query(() => [DeadLetterQueueType], { description: 'Every dead-letter topic with the number of messages it retains.' })
  async deadLetterQueues(@Context() ctx: GraphQLRequestContext): Promise<DeadLetterQueueType[]> {
    this.require(ctx);
    return this.store.queues();
  }

  @Query(() => [DeadLetterType], { description: 'The messages of one dead-letter topic (`x.dlq` or its source `x`), oldest first.' })
  async deadLetters(
    @Context() ctx: GraphQLRequestContext,
    @Args('topic', { type: () => String }) topic: string,
    @Args('first', { type: () => Int, nullable: true, description: `At most ${MAX_DEAD_LETTER_PAGE} (default 50).` }) first?: number,
    @Args('afterOffset', { type: () => String, nullable: true }) afterOffset?: string,
  ): Promise<DeadLetterType[]> {
    this.require(ctx);
    if (first !== undefined && first !== null && (first < 1 || first > MAX_DEAD_LETTER_PAGE)) throw new BadUserInputError(`first must be between 1 and ${MAX_DEAD_LETTER_PAGE}`);
    const letters = await this.store.list(topic, { limit: first ?? undefined, afterOffset: offsetArg(afterOffset) });
    return this.masking.maskAll(letters.map(toType), ctx);
  }

  @Query(() => DeadLetterType, { nullable: true, description: 'One dead letter, with its reason.' })
  async deadLetter(
    @Context() ctx: GraphQLRequestContext,
    @Args('topic', { type: () => String }) topic: string,
    @Args('offset', { type: () => String }) offset: string,
    @Args('partition', { type: () => Int, nullable: true, defaultValue: 0 }) partition?: number,
  ): Promise<DeadLetterType | null> {
    this.require(ctx);
    const letter = await this.store.get({ topic, partition: partition ?? 0, offset: offsetArg(offset)! });
    return letter ? this.masking.mask(toType(letter), ctx) : null;
  }

  @Mutation(() => DeadLetterType, {
    description: 'OPERATOR or ADMIN. Publishes the dead letter\'s original key, value and headers back to its source topic, after a fix; once per message.',
  })
  async redriveDeadLetter(
    @Context() ctx: GraphQLRequestContext,
    @Args('topic', { type: () => String }) topic: string,
    @Args('offset', { type: () => String }) offset: string,
    @Args('partition', { type: () => Int, nullable: true, defaultValue: 0 }) partition?: number,
  ): Promise<DeadLetterType> {
    const principal = this.require(ctx);
    // A dead letter redriven already is DEAD_LETTER_ALREADY_REDRIVEN: CONFLICT by its code.
    return this.masking.mask(toType(await this.store.redrive({ topic, partition: partition ?? 0, offset: offsetArg(offset)! }, principal.name)), ctx);
  }

  private require(ctx: GraphQLRequestContext): Principal {
    // Dead letters span every namespace (or none that can be told): a global operation.
    return this.access.require(ctx.principal, 'execute', GLOBAL);
  }
}

function offsetArg(offset: string | null | undefined): string | undefined {
  if (offset === undefined || offset === null) return undefined;
  if (!/^\d+$/.test(offset)) throw new BadUserInputError('an offset is a decimal number');
  return offset;
}

function toType(letter: DeadLetter): DeadLetterType {
  let json: unknown;
  try {
    json = letter.value === null ? undefined : JSON.parse(letter.value);
  } catch {
    json = undefined;
  }
  return { ...letter, json, redrivenAt: letter.redrive?.at, redrivenBy: letter.redrive?.by };
}
