import { Field, Int, ObjectType } from '@nestjs/graphql';
import { JSONScalar } from './scalars.js';

@ObjectType('Flow')
export class FlowType {
  @Field(() => String) namespace!: string;
  @Field(() => String) id!: string;
  @Field(() => Int) revision!: number;
  @Field(() => String) source!: string;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => JSONScalar, { nullable: true }) inputs?: unknown;
  @Field(() => JSONScalar, { nullable: true }) tasks?: unknown;
  @Field(() => JSONScalar, { nullable: true }) triggers?: unknown;
  @Field(() => JSONScalar, { nullable: true }) labels?: unknown;
}
