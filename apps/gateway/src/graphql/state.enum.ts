import { registerEnumType } from '@nestjs/graphql';
import { STATES } from '@chronicle/domain';

/** The GraphQL `State` enum, generated from the domain's list so the two never drift. */
export const StateEnum = Object.fromEntries(STATES.map((s) => [s, s])) as { [K in (typeof STATES)[number]]: K };
registerEnumType(StateEnum, { name: 'State', description: 'Execution and task-run states (the Kestra set).' });
