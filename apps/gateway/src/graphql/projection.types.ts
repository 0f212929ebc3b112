import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from './scalars.js';

export const ProjectionStateEnum = { LIVE: 'LIVE', CATCHING_UP: 'CATCHING_UP', STALLED: 'STALLED' } as const;
export type ProjectionState = keyof typeof ProjectionStateEnum;
registerEnumType(ProjectionStateEnum, {
  name: 'ProjectionState',
  description: 'LIVE: nothing left to project; CATCHING_UP: behind and moving; STALLED: behind and its checkpoint has not moved for a while.',
});

@ObjectType('ProjectionStatus', { description: 'A read-model projection: its checkpoint against the head of the event log.' })
export class ProjectionStatusType {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Committed log position (a decimal string: uint64).' }) position!: string;
  @Field(() => String, { nullable: true, description: 'Position of the last event in the log.' }) headPosition?: string;
  @Field(() => Int, { description: 'Events in the log after the checkpoint that this projection reads (counted up to 10000).' }) lagEvents!: number;
  @Field(() => Float, { description: 'Age of the oldest event not projected yet, in seconds (0 when LIVE).' }) lagSeconds!: number;
  @Field(() => ProjectionStateEnum) state!: ProjectionState;
  @Field(() => Int, { description: 'Events skipped because they could not be projected.' }) errors!: number;
  @Field(() => DateTimeScalar, { description: 'When the checkpoint last moved.' }) updatedAt!: string;
}
