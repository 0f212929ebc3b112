import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './scalars.js';

@ObjectType('PurgeResult', { description: 'What purgeExecutions removed (or, on a dry run, would remove).' })
export class PurgeResultType {
  @Field(() => [ID], { description: 'The executions removed from the read model and the event store, oldest first.' }) executionIds!: string[];
  @Field(() => Int) count!: number;
  @Field(() => Boolean, { description: 'True: nothing was changed; executionIds is what the same call without dryRun removes.' }) dryRun!: boolean;
}

@ObjectType('AuditEntry', { description: 'One event of the log: who did what, when, to which execution or flow.' })
export class AuditEntryType {
  @Field(() => String, { description: 'The event\'s log position: pass it as `after` for the next page.' }) cursor!: string;
  @Field(() => DateTimeScalar) at!: string;
  @Field(() => String, { description: 'A principal\'s name, or `system:executor`, `trigger:<kind>:<id>`, `subflow:<parent id>`, `retry:<id>`; `unknown` for events written before actors were recorded.' })
  actor!: string;
  @Field(() => String, { description: 'The event type (ExecutionCreated, ExecutionKillRequested, FlowRevisionDeployed...).' }) action!: string;
  @Field(() => ID, { nullable: true }) executionId?: string;
  @Field(() => String, { nullable: true }) namespace?: string;
  @Field(() => String, { nullable: true }) flowId?: string;
  @Field(() => Int, { nullable: true, description: 'The flow revision the execution runs (or the deployed revision).' }) flowRevision?: number;
  @Field(() => Int, { description: 'The event\'s revision in its stream.' }) revision!: number;
  @Field(() => String) streamId!: string;
}
