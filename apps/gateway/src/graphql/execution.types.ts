import type { ExecutionView, TaskRunView } from '@chronicle/read-model';
import { Field, ID, Int, ObjectType, type FieldMiddleware } from '@nestjs/graphql';
import type { ExecutionOptions } from '@chronicle/domain';
import { DateTimeScalar, JSONScalar } from './scalars.js';
import { StateEnum } from './state.enum.js';

@ObjectType('StateChange')
export class StateChangeType {
  @Field(() => StateEnum) state!: string;
  @Field(() => DateTimeScalar) date!: string;
}

@ObjectType('Attempt')
export class AttemptType {
  @Field(() => Int) number!: number;
  @Field(() => StateEnum) state!: string;
  @Field(() => DateTimeScalar, { nullable: true }) startDate?: string;
  @Field(() => DateTimeScalar, { nullable: true }) endDate?: string;
  @Field(() => String, { nullable: true }) error?: string;
  @Field(() => JSONScalar, { nullable: true, description: 'Task metrics the worker reported with this attempt: [{ name, type: counter|timer, value, tags }].' })
  metrics?: unknown;
  @Field(() => String, { nullable: true, description: 'logToFile: the kestra:/// URI of the file holding this attempt\'s log lines.' })
  logFile?: string;
}

/** A task run's metrics are stored with the attempts that reported them: listed here across attempts. */
const metricsOfAttempts: FieldMiddleware = ({ source }) => {
  const attempts = (source as { attempts?: Array<{ number: number; metrics?: object[] }> }).attempts ?? [];
  return attempts.flatMap((a) => (a.metrics ?? []).map((m) => ({ ...m, attempt: a.number })));
};

@ObjectType('TaskRun')
export class TaskRunType {
  @Field(() => ID) id!: string;
  @Field(() => String) taskId!: string;
  @Field(() => ID, { nullable: true }) parentTaskRunId?: string;
  @Field(() => String, { nullable: true }) value?: string;
  @Field(() => StateEnum) state!: string;
  @Field(() => [AttemptType]) attempts!: AttemptType[];
  @Field(() => JSONScalar, {
    middleware: [metricsOfAttempts],
    description: 'Task metrics (counters and timers) of every attempt, each with its `attempt` number.',
  })
  metrics?: unknown;
  @Field(() => JSONScalar, { nullable: true }) outputs?: unknown;
  @Field(() => DateTimeScalar, { nullable: true }) startDate?: string;
  @Field(() => DateTimeScalar, { nullable: true }) endDate?: string;
  @Field(() => String, { nullable: true }) error?: string;
  /** Not in the schema as a plain field: resolved by TaskRunBreakpointResolver. */
  breakpointHold?: TaskRunView['breakpoint'];
}

@ObjectType('Execution')
export class ExecutionType {
  @Field(() => ID) id!: string;
  @Field(() => String) namespace!: string;
  @Field(() => String) flowId!: string;
  @Field(() => Int) flowRevision!: number;
  @Field(() => StateEnum) state!: string;
  @Field(() => [StateChangeType]) stateHistory!: StateChangeType[];
  @Field(() => JSONScalar, { nullable: true }) inputs?: unknown;
  @Field(() => JSONScalar, { nullable: true }) outputs?: unknown;
  @Field(() => JSONScalar, { nullable: true }) labels?: unknown;
  @Field(() => JSONScalar, { nullable: true }) trigger?: unknown;
  @Field(() => [TaskRunType]) taskRuns!: TaskRunType[];
  @Field(() => ID) originalId!: string;
  @Field(() => ID, { nullable: true }) parentId?: string;
  @Field(() => DateTimeScalar, { nullable: true }) startDate?: string;
  @Field(() => DateTimeScalar, { nullable: true }) endDate?: string;
  @Field(() => String, { nullable: true, description: 'Why the execution failed, when it did.' }) error?: string;
  @Field(() => Int, { description: 'Stream revision of the last event this state reflects.' }) revision!: number;
  /** Not in the schema: the per-run options, read by their own fields (ExecutionRunResolver). */
  options?: ExecutionOptions;
  /** Not in the schema as a plain field: resolved by ExecutionRunResolver.killReason. */
  killReason?: string;
  /** Not in the schema as plain fields: the read side's records their own resolvers present
   * (NamedLocksResolver, BreakpointsResolver, ExecutionRewindResolver, ExecutionWrapperResolver). */
  lockClaims?: ExecutionView['lockClaims'];
  stepping?: boolean;
  savepoints?: ExecutionView['savepoints'];
  rewinds?: ExecutionView['rewinds'];
  wrapped?: ExecutionView['wrapped'];
}

@ObjectType('ExecutionEdge')
export class ExecutionEdgeType {
  @Field(() => ExecutionType) node!: ExecutionType;
  @Field(() => String) cursor!: string;
}

@ObjectType('PageInfo')
export class PageInfoType {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor?: string;
}

@ObjectType('ExecutionConnection')
export class ExecutionConnectionType {
  @Field(() => [ExecutionEdgeType]) edges!: ExecutionEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int) totalCount!: number;
}

@ObjectType('ExecutionEvent')
export class ExecutionEventType {
  @Field(() => String, { description: 'Global log position (a decimal string: uint64).' }) position!: string;
  @Field(() => Int) revision!: number;
  @Field(() => String) type!: string;
  @Field(() => JSONScalar) data!: unknown;
  @Field(() => DateTimeScalar) occurredAt!: string;
  /** Not in the schema: the execution's stream, whose SECRET values are hidden in `data`. */
  streamId?: string;
}

@ObjectType('LogEntry')
export class LogEntryType {
  @Field(() => ID, { nullable: true, description: 'Orders the lines of one execution; pass it as `after` to resume.' }) id?: string;
  @Field(() => ID) executionId!: string;
  @Field(() => ID, { nullable: true }) taskRunId?: string;
  @Field(() => String, { nullable: true }) taskId?: string;
  @Field(() => String) level!: string;
  @Field(() => String) message!: string;
  @Field(() => DateTimeScalar) timestamp!: string;
}

@ObjectType('LogEdge')
export class LogEdgeType {
  @Field(() => LogEntryType) node!: LogEntryType;
  @Field(() => String) cursor!: string;
}

@ObjectType('LogConnection', { description: 'A page of log lines, in arrival order.' })
export class LogConnectionType {
  @Field(() => [LogEdgeType]) edges!: LogEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}
