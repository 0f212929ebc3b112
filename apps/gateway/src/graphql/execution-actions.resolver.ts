import { Parent, ResolveField, Resolver, registerEnumType } from '@nestjs/graphql';
import { availableActions, EXECUTION_ACTIONS, type ExecutionAction, type State } from '@chronicle/domain';
import { ExecutionType } from './execution.types.js';

export const ExecutionActionEnum = Object.fromEntries(EXECUTION_ACTIONS.map((a) => [a, a])) as { [K in ExecutionAction]: K };
registerEnumType(ExecutionActionEnum, {
  name: 'ExecutionAction',
  description: 'A control action: KILL, PAUSE, RESUME (approve or reject), RESTART, REPLAY.',
});

/**
 * `Execution.availableActions`: what the API accepts for this execution now, from the domain's one
 * copy of the rule, so a client (the live monitor) offers exactly that instead of keeping its own copy.
 * Whether the caller's role and namespace allow it is the caller's own token, which the client knows.
 */
@Resolver(() => ExecutionType)
export class ExecutionActionsResolver {
  @ResolveField('availableActions', () => [ExecutionActionEnum], {
    description: 'The control actions the execution accepts in its current state (a no-op is not listed).',
  })
  availableActions(@Parent() execution: ExecutionType): ExecutionAction[] {
    const state = (value: string) => value as State; // GraphQL's State enum is the domain's list
    const { savepoints } = execution;
    return availableActions({ id: execution.id, state: state(execution.state), taskRuns: execution.taskRuns.map((t) => ({ state: state(t.state) })), ...(savepoints !== undefined ? { savepoints } : {}) });
  }
}
