import { Field, Int, ObjectType } from '@nestjs/graphql';
import { FlowInputType, inputDefinitionsOfFlow } from './flow-input.types.js';
import { DateTimeScalar, JSONScalar } from './scalars.js';

@ObjectType('Flow')
export class FlowType {
  @Field(() => String) namespace!: string;
  @Field(() => String) id!: string;
  @Field(() => Int) revision!: number;
  @Field(() => String) source!: string;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => JSONScalar, { nullable: true }) inputs?: unknown;
  @Field(() => [FlowInputType], { middleware: [inputDefinitionsOfFlow], description: 'The flow\'s inputs, typed (the same definitions as `inputs`).' })
  inputDefinitions?: FlowInputType[];
  @Field(() => JSONScalar, { nullable: true }) tasks?: unknown;
  @Field(() => JSONScalar, { nullable: true }) triggers?: unknown;
  @Field(() => JSONScalar, { nullable: true }) labels?: unknown;
  @Field(() => Boolean, { description: 'A disabled flow starts no new execution (disableFlow / enableFlow).' }) disabled!: boolean;
  @Field(() => Boolean, { description: 'A deleted flow is out of `flows`; its revisions stay readable; a deploy brings it back.' }) deleted!: boolean;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When this revision was deployed.' }) deployedAt?: string;
}
