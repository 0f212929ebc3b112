import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar, JSONScalar } from './scalars.js';

@ObjectType('DeadLetterQueue', { description: 'A dead-letter topic (`<topic>.dlq`): messages that could not be processed, with the reason.' })
export class DeadLetterQueueType {
  @Field(() => String) topic!: string;
  @Field(() => String, { description: 'The topic its messages came from, where a redrive sends them back.' }) sourceTopic!: string;
  @Field(() => Int, { description: 'Messages the topic retains (redriven ones included).' }) count!: number;
}

@ObjectType('DeadLetter', { description: 'A message that could not be processed: the original key, value and headers, and why.' })
export class DeadLetterType {
  @Field(() => String) topic!: string;
  @Field(() => Int) partition!: number;
  @Field(() => String, { description: 'Offset in the dead-letter topic (a decimal string).' }) offset!: string;
  @Field(() => String) key!: string;
  @Field(() => String, { nullable: true, description: 'The value exactly as it failed (it may not be JSON).' }) value?: string | null;
  @Field(() => JSONScalar, { nullable: true, description: 'The value parsed, when it is JSON.' }) json?: unknown;
  @Field(() => JSONScalar, { description: 'The original headers (without the dead-letter ones).' }) headers!: Record<string, string>;
  @Field(() => String, { description: 'Why it was dead-lettered.' }) reason!: string;
  @Field(() => String) sourceTopic!: string;
  @Field(() => Int, { nullable: true }) sourcePartition?: number;
  @Field(() => String, { nullable: true }) sourceOffset?: string;
  @Field(() => DateTimeScalar, { nullable: true }) failedAt?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was sent back to its source topic (a message is redriven once).' }) redrivenAt?: string;
  @Field(() => String, { nullable: true, description: 'Who redrove it.' }) redrivenBy?: string;
}
