import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './scalars.js';

@ObjectType('Trigger', { description: 'A trigger a flow declares, with its run-time state.' })
export class TriggerType {
  @Field(() => String) namespace!: string;
  @Field(() => String) flowId!: string;
  @Field(() => String) id!: string;
  @Field(() => String, { description: 'Schedule, Webhook, Kafka, Flow or Http (the HTTP polling trigger).' }) kind!: string;
  @Field(() => String, { description: 'The type as written in the flow.' }) type!: string;
  @Field(() => Boolean, { description: 'Enabled in the flow and not disabled at run time.' }) enabled!: boolean;
  @Field(() => Boolean) disabledInFlow!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) lastFiredAt?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Schedules (next tick) and HTTP triggers (next poll) only.' }) nextFireAt?: string;
  @Field(() => String, { nullable: true }) cron?: string;
  @Field(() => String, { nullable: true }) timezone?: string;
  @Field(() => String, { nullable: true }) topic?: string;
  @Field(() => String, { nullable: true, description: 'HTTP triggers: the URL polled, as written in the flow (templates are rendered per poll).' }) uri?: string;
  @Field(() => String, { nullable: true, description: 'HTTP triggers: the poll interval, ISO-8601 (PT60S).' }) interval?: string;
}

@ObjectType('BackfillResult')
export class BackfillResultType {
  @Field(() => [ID], { description: 'Executions started for the slots of the range.' }) started!: string[];
  @Field(() => [ID], { description: 'Slots that already had an execution (succeeded, unless rerunSucceeded, or not yet ended).' }) skipped!: string[];
}
