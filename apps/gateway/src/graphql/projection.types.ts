import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from './scalars.js';

export const ProjectionStateEnum = { LIVE: 'LIVE', CATCHING_UP: 'CATCHING_UP', STALLED: 'STALLED' } as const;
export type ProjectionState = keyof typeof ProjectionStateEnum;
registerEnumType(ProjectionStateEnum, {
  name: 'ProjectionState',
  description: 'LIVE: nothing left to project; CATCHING_UP: behind and moving; STALLED: behind and its checkpoint has not moved for a while.',
});

export const ProjectionRebuildStateEnum = { PENDING: 'PENDING', RUNNING: 'RUNNING', SWAPPING: 'SWAPPING', DONE: 'DONE', FAILED: 'FAILED' } as const;
export type ProjectionRebuildState = keyof typeof ProjectionRebuildStateEnum;
registerEnumType(ProjectionRebuildStateEnum, {
  name: 'ProjectionRebuildState',
  description: 'PENDING: asked for; RUNNING: replaying the log into shadow tables (the live ones keep serving); SWAPPING: the shadow replaces the live tables; DONE; FAILED.',
});

@ObjectType('ProjectionRebuild', { description: 'The latest rebuild of a projection: the whole log replayed into shadow tables, then swapped in.' })
export class ProjectionRebuildType {
  @Field(() => String) name!: string;
  @Field(() => ProjectionRebuildStateEnum) state!: ProjectionRebuildState;
  @Field(() => String, { nullable: true, description: 'Who asked for it.' }) requestedBy?: string;
  @Field(() => DateTimeScalar) requestedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) startedAt?: string;
  @Field(() => DateTimeScalar, { description: 'When its progress was last recorded.' }) updatedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) finishedAt?: string;
  @Field(() => Int, { description: 'Runs so far: more than 1 when it was resumed after a crash or a restart.' }) runs!: number;
  @Field(() => String, { nullable: true, description: 'The shadow checkpoint the last run resumed from (absent: from the start of the log).' }) resumedFrom?: string;
  @Field(() => String, { nullable: true, description: 'Log position replayed so far (a decimal string: uint64).' }) position?: string;
  @Field(() => String, { nullable: true, description: 'Head of the log when progress was last recorded.' }) headPosition?: string;
  @Field(() => Float, { description: 'Events replayed into the shadow tables so far.' }) eventsProjected!: number;
  @Field(() => Float, { nullable: true }) eventsPerSecond?: number;
  @Field(() => Float, { nullable: true, description: 'Seconds left at the current speed.' }) etaSeconds?: number;
  @Field(() => String, { nullable: true, description: 'Why it failed.' }) error?: string;
}

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
  @Field(() => ProjectionRebuildType, { nullable: true, description: 'The latest rebuild of this projection, running or ended.' }) rebuild?: ProjectionRebuildType;
}
