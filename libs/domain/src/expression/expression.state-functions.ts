import type { JsonObject, JsonValue } from '../shared/json.js';
import type { ExpressionFunction } from './expression.callables.js';
import { EvaluationFailure } from './expression.error.js';
import { isPlainObject, toText } from './expression.values.js';

const stateOf = (value: JsonValue | undefined): string | undefined => {
  if (typeof value === 'string') return value.toUpperCase();
  if (isPlainObject(value) && typeof value.state === 'string') return value.state.toUpperCase();
  return undefined;
};

/**
 * Kestra's `tasksWithState(state)` (Kestra >= 0.22, TasksWithStateFunction.java): the task runs of
 * the `tasks` variable (`tasks.<id>.state`, or `tasks.<id>.<value>.state` inside loops) whose
 * current state is `state` (any case), as `{ taskId, state }`, with `value` for a loop's.
 */
export const TASKS_WITH_STATE: ExpressionFunction = {
  params: ['state'],
  apply: ({ state }, env) => {
    if (state === undefined || state === null) throw new EvaluationFailure("The 'tasksWithState' function expects an argument 'state'.");
    const wanted = toText(state).toUpperCase();
    const tasks = env.scope.tasks;
    const found: JsonObject[] = [];
    if (!isPlainObject(tasks)) return found;
    for (const [taskId, details] of Object.entries(tasks)) {
      if (!isPlainObject(details)) continue;
      for (const [key, value] of Object.entries(details)) {
        if (key !== 'state' && !isPlainObject(value)) continue;
        const current = stateOf(value);
        if (current !== wanted) continue;
        // `state` holding a text is the task's own; a map under any key (even `state`) is a loop value's.
        found.push(key === 'state' && typeof value === 'string' ? { taskId, state: current } : { taskId, state: current, value: key });
      }
    }
    return found;
  },
};
