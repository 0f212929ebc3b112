import { DashboardResolver } from './dashboard.resolver.js';
import { NamedLocksResolver } from './named-locks.resolver.js';
import { BreakpointsResolver, TaskRunBreakpointResolver } from './breakpoints.resolver.js';
import { DeadLetterResolver } from './dead-letter.resolver.js';
import { ExecutionMutationResolver } from './execution-mutation.resolver.js';
import { ExecutionSubscriptionResolver } from './execution-subscription.resolver.js';
import { ExecutionActionsResolver } from './execution-actions.resolver.js';
import { ExecutionRunResolver } from './execution-run.resolver.js';
import { ExecutionRewindResolver } from './execution-rewind.resolver.js';
import { ExecutionWrapperResolver } from './execution-wrapper.resolver.js';
import { ExecutionResolver } from './execution.resolver.js';
import { FlowResolver } from './flow.resolver.js';
import { ProjectionResolver } from './projection.resolver.js';
import { RetentionResolver } from './retention.resolver.js';
import { TriggerResolver } from './trigger.resolver.js';
import { StalledExecutionsResolver } from './stalled.resolver.js';
import { ExecutionEventSecretsResolver, ExecutionSecretsResolver, LogSecretsResolver } from './secret-fields.resolver.js';

/** Every resolver of the schema: the module registers them, the schema printer reads them. */
export const GATEWAY_RESOLVERS = [FlowResolver, ExecutionResolver, ExecutionActionsResolver, ExecutionRunResolver, ExecutionMutationResolver, ExecutionSubscriptionResolver, ProjectionResolver, TriggerResolver, RetentionResolver, DeadLetterResolver, StalledExecutionsResolver,
  ExecutionSecretsResolver, ExecutionEventSecretsResolver, LogSecretsResolver, DashboardResolver,
  NamedLocksResolver, BreakpointsResolver, TaskRunBreakpointResolver, ExecutionRewindResolver, ExecutionWrapperResolver];
