import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar, JSONScalar } from './scalars.js';

@ObjectType('DashboardBucket', { description: 'Executions that started in one time bucket, by their state now.' })
export class DashboardBucketType {
  @Field(() => DateTimeScalar) start!: string;
  @Field(() => JSONScalar, { description: 'Executions per state: { "SUCCESS": 12, "FAILED": 1 }.' }) states!: Record<string, number>;
  @Field(() => Int) total!: number;
  @Field(() => Float, { nullable: true, description: 'SUCCESS over finished executions (0..1); absent when none finished.' }) successRatio?: number;
  @Field(() => Float, { nullable: true, description: 'Median duration (ms) of the finished executions; durations are kept in bins of ±19%.' }) p50Ms?: number;
  @Field(() => Float, { nullable: true }) p95Ms?: number;
  @Field(() => Float, { nullable: true }) p99Ms?: number;
}

@ObjectType('DashboardFlow', { description: 'A flow\'s executions over the range.' })
export class DashboardFlowType {
  @Field(() => String) namespace!: string;
  @Field(() => String) flowId!: string;
  @Field(() => Int) executions!: number;
  @Field(() => Int, { description: 'FAILED or KILLED.' }) failed!: number;
}

@ObjectType('Dashboard', { description: 'Executions over time from the read model\'s aggregates (per minute, flow, state and duration bin).' })
export class DashboardType {
  @Field(() => DateTimeScalar) from!: string;
  @Field(() => DateTimeScalar) to!: string;
  @Field(() => Int) bucketSeconds!: number;
  @Field(() => Int) total!: number;
  @Field(() => JSONScalar, { description: 'Executions per state over the range.' }) states!: Record<string, number>;
  @Field(() => Float, { nullable: true }) successRatio?: number;
  @Field(() => Float, { nullable: true }) p50Ms?: number;
  @Field(() => Float, { nullable: true }) p95Ms?: number;
  @Field(() => Float, { nullable: true }) p99Ms?: number;
  @Field(() => [DashboardBucketType]) buckets!: DashboardBucketType[];
  @Field(() => [DashboardFlowType], { description: 'The 10 flows with the most executions.' }) busiestFlows!: DashboardFlowType[];
  @Field(() => [DashboardFlowType], { description: 'The 10 flows with the most FAILED or KILLED executions.' }) failingFlows!: DashboardFlowType[];
  @Field(() => Int, { description: 'Running now (RUNNING, PAUSED, KILLING, RETRYING, RESTARTED), whatever the range.' }) running!: number;
  @Field(() => Int, { description: 'Not started yet (CREATED, QUEUED), whatever the range.' }) queued!: number;
}
