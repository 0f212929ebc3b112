import { CodedError } from '@chronicle/errors';
import { parseIsoDuration } from './iso-duration.js';
import { checkBreakpointOptions } from './breakpoints/breakpoint-options.js';

/**
 * Who started an execution (Cloudomation's `started_by`): an API token or user by name, a
 * trigger by id, or a parent execution by id.
 */
export interface StartedBy {
  readonly kind: 'token' | 'trigger' | 'execution';
  readonly id: string;
}

/**
 * Per-run options of one execution (Cloudomation's execution record fields), chosen when it is
 * started and, for `priority` and `message`, steered while it runs. All optional: an execution
 * started without any has none (the flow's `priority` and `timeout` then apply).
 */
export interface ExecutionOptions {
  /** Higher first; equal priorities in creation order. Overrides the flow's `priority`. */
  readonly priority?: number;
  /** ISO-8601 duration: the whole execution is killed once it ran that long. Overrides the flow's `timeout`. */
  readonly maxRuntime?: string;
  /** ISO-8601 instant: the execution stays CREATED until then (a durable timer starts it). */
  readonly scheduledAt?: string;
  readonly name?: string;
  readonly description?: string;
  readonly startedBy?: StartedBy;
  /** A human status message (Cloudomation's status message), set by an operator or a task. */
  readonly message?: string;
  /**
   * `DEVELOPMENT`: a test run (Cloudomation's development mode): no downstream flow triggers,
   * its own concurrency slots, left out of the default lists. Absent = productive.
   */
  readonly mode?: 'DEVELOPMENT';
  /** Task ids to pause before (Cloudomation's breakpoints); checked against the flow at start (breakpoints/). */
  readonly breakpoints?: readonly string[];
  /** Pause before every task (step-through); CONTINUE at a breakpoint turns it off, STEP on. */
  readonly stepMode?: boolean;
}

export const EXECUTION_MODES = ['PRODUCTIVE', 'DEVELOPMENT'] as const;

/** A run option that cannot be: names the field. Maps to BAD_USER_INPUT. */
export class RunOptionError extends CodedError {
  readonly issues: readonly { readonly path: readonly string[]; readonly message: string }[];

  constructor(readonly field: string, problem: string) {
    super('RUN_OPTION_INVALID', `${field} ${problem}`);
    this.issues = [{ path: [field], message: problem }];
  }
}

export const MAX_NAME_LENGTH = 200;
export const MAX_MESSAGE_LENGTH = 2000;

/** A priority: an integer, 0 or more (the flow's `priority` has the same range). */
export const checkPriority = (priority: unknown, field = 'priority'): number => {
  if (typeof priority !== 'number' || !Number.isInteger(priority)) throw new RunOptionError(field, `must be an integer, got ${JSON.stringify(priority)}`);
  if (priority < 0) throw new RunOptionError(field, `must be 0 or more, got ${priority}`);
  return priority;
};

const checkText = (value: unknown, field: string, max: number): string => {
  if (typeof value !== 'string') throw new RunOptionError(field, `must be a text, got ${JSON.stringify(value)}`);
  if (value.length > max) throw new RunOptionError(field, `must be at most ${max} characters, got ${value.length}`);
  return value;
};

export const checkMessage = (message: unknown, field = 'message'): string => checkText(message, field, MAX_MESSAGE_LENGTH);
export const checkName = (name: unknown, field = 'name'): string => checkText(name, field, MAX_NAME_LENGTH);

/**
 * The options a start asks for, checked against `now` (the command's clock): a negative or
 * fractional priority, a duration that is not ISO-8601 (or zero), a `scheduledAt` that is not an
 * instant or not in the future are refused before anything is written. Unset fields stay unset.
 */
export const checkRunOptions = (options: ExecutionOptions | undefined, now: string): ExecutionOptions | undefined => {
  if (options === undefined) return undefined;
  const checked: Record<string, unknown> = {};
  if (options.priority !== undefined) checked.priority = checkPriority(options.priority);
  if (options.maxRuntime !== undefined) {
    const ms = typeof options.maxRuntime === 'string' ? parseIsoDuration(options.maxRuntime) : undefined;
    if (ms === undefined) throw new RunOptionError('maxRuntime', `must be an ISO-8601 duration such as PT10M, got ${JSON.stringify(options.maxRuntime)}`);
    if (ms === 0) throw new RunOptionError('maxRuntime', 'must be longer than zero');
    checked.maxRuntime = options.maxRuntime;
  }
  if (options.scheduledAt !== undefined) {
    const at = typeof options.scheduledAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(options.scheduledAt) ? Date.parse(options.scheduledAt) : Number.NaN;
    if (Number.isNaN(at)) throw new RunOptionError('scheduledAt', `must be an ISO-8601 date-time such as 2030-01-01T10:00:00Z, got ${JSON.stringify(options.scheduledAt)}`);
    if (at <= Date.parse(now)) throw new RunOptionError('scheduledAt', `must be in the future, got ${options.scheduledAt} (now is ${now})`);
    checked.scheduledAt = new Date(at).toISOString();
  }
  if (options.name !== undefined) checked.name = checkName(options.name);
  if (options.description !== undefined) checked.description = checkText(options.description, 'description', MAX_MESSAGE_LENGTH);
  if (options.message !== undefined) checked.message = checkMessage(options.message);
  if (options.mode !== undefined) {
    if (!(EXECUTION_MODES as readonly string[]).includes(options.mode)) throw new RunOptionError('mode', `must be PRODUCTIVE or DEVELOPMENT, got ${JSON.stringify(options.mode)}`);
    if (options.mode === 'DEVELOPMENT') checked.mode = 'DEVELOPMENT';
  }
  if (options.startedBy !== undefined) {
    const { kind, id } = options.startedBy;
    if (!['token', 'trigger', 'execution'].includes(kind) || typeof id !== 'string' || id === '') throw new RunOptionError('startedBy', 'must be { kind: token | trigger | execution, id }');
    checked.startedBy = { kind, id };
  }
  Object.assign(checked, checkBreakpointOptions(options));
  return Object.keys(checked).length === 0 ? undefined : (checked as ExecutionOptions);
};

/** The timer that starts a scheduled execution (`scheduledAt`). */
export const scheduledStartTimerId = (executionId: string): string => `${executionId}:scheduled-start`;
