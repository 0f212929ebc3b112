import { parseIsoDuration } from '../execution/iso-duration.js';
import { checkMessage, checkName, checkPriority, EXECUTION_MODES, RunOptionError, type ExecutionOptions } from '../execution/run-options.js';
import type { JsonValue } from '../shared/json.js';

/** What a trigger may set on the executions it starts (`scheduledAt` and `startedBy` are the start's own). */
export const TRIGGER_RUN_OPTIONS = ['priority', 'maxRuntime', 'name', 'description', 'message', 'mode'] as const;

/**
 * A trigger's `runOptions` (Cloudomation's webhook settings: priority, max runtime, mode...):
 * the run options of every execution it starts, checked at deploy like a start checks them. A
 * field Chronicle does not know, or a value a start would refuse, is a deploy error at
 * `triggers[i].runOptions.<field>`. Labels are the trigger's own `labels`.
 */
export const parseTriggerRunOptions = (raw: JsonValue | undefined, report: (field: string, message: string) => void): ExecutionOptions | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    report('runOptions', `must be a mapping of ${TRIGGER_RUN_OPTIONS.join(', ')}`);
    return undefined;
  }
  const options: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw)) {
    try {
      switch (field) {
        case 'priority':
          options.priority = checkPriority(value, field);
          break;
        case 'maxRuntime': {
          const ms = typeof value === 'string' ? parseIsoDuration(value) : undefined;
          if (ms === undefined || ms === 0) throw new RunOptionError(field, `must be an ISO-8601 duration longer than zero such as PT10M, got ${JSON.stringify(value)}`);
          options.maxRuntime = value;
          break;
        }
        case 'name':
          options.name = checkName(value, field);
          break;
        case 'description':
        case 'message':
          options[field] = checkMessage(value, field);
          break;
        case 'mode':
          if (!(EXECUTION_MODES as readonly unknown[]).includes(value)) throw new RunOptionError(field, `must be PRODUCTIVE or DEVELOPMENT, got ${JSON.stringify(value)}`);
          if (value === 'DEVELOPMENT') options.mode = 'DEVELOPMENT';
          break;
        default:
          throw new RunOptionError(field, `is not a run option a trigger can set (${TRIGGER_RUN_OPTIONS.join(', ')}; labels are the trigger's own labels)`);
      }
    } catch (error) {
      if (!(error instanceof RunOptionError)) throw error;
      report(`runOptions.${error.field}`, error.issues[0]!.message);
    }
  }
  return Object.keys(options).length === 0 ? undefined : (options as ExecutionOptions);
};
