import type { State } from '../../execution/state.js';
import type { ExpressionContext } from '../../expression/expression-context.js';
import { compileRegex } from '../../expression/expression.regex.js';
import { renderTemplate } from '../../expression/template.renderer.js';
import { isTruthy } from '../../expression/truthiness.js';
import type { JsonObject } from '../../shared/json.js';
import { DAYS_OF_WEEK, type Condition, type DayInMonth, type DayOfWeek, type ExecutionFilterRule, type LabelPair, type OffsetTime } from './condition.model.js';

/** The execution a Flow trigger's conditions judge (the upstream one). */
export interface ConditionExecution {
  readonly id: string;
  readonly namespace: string;
  readonly flowId: string;
  readonly state: State;
  readonly labels: readonly LabelPair[];
  /** The flow's outputs (`trigger.outputs` in ExecutionOutputs). */
  readonly outputs?: JsonObject;
  /** States of every attempt of the task runs that had more than one (HasRetryAttempt). */
  readonly retriedAttemptStates?: readonly State[];
}

export interface ConditionSubject {
  /** Absent when a Schedule tick is judged: execution conditions then do not hold. */
  readonly execution?: ConditionExecution;
  /** What `date:` and expressions are rendered with (`trigger.date` for a Schedule). */
  readonly context: ExpressionContext;
}

/**
 * Whether a condition holds, as Kestra's `Condition.test`. A condition that cannot be evaluated
 * (an expression naming something absent, a date that does not parse) does not hold: Kestra's
 * ConditionService logs it and answers false; the caller gets the reason through `onError`.
 */
export function conditionHolds(condition: Condition, subject: ConditionSubject, onError: (message: string) => void = () => undefined): boolean {
  try {
    return test(condition, subject, onError);
  } catch (error) {
    onError(`${condition.kind}: ${(error as Error).message}`);
    return false;
  }
}

function test(c: Condition, subject: ConditionSubject, onError: (message: string) => void): boolean {
  const execution = subject.execution;
  const render = (template: string, extra: Partial<ExpressionContext> = {}) => renderTemplate(template, { ...subject.context, ...extra });
  switch (c.kind) {
    case 'ExecutionFlow':
      return !!execution && execution.namespace === c.namespace && execution.flowId === c.flowId;
    case 'ExecutionNamespace': {
      if (!execution) return false;
      const ns = execution.namespace;
      return c.comparison === 'PREFIX' ? ns.startsWith(c.namespace) : c.comparison === 'SUFFIX' ? ns.endsWith(c.namespace) : ns === c.namespace;
    }
    case 'ExecutionStatus':
      return !!execution && statesMatch(execution.state, c.in, c.notIn);
    case 'HasRetryAttempt':
      return !!execution && (execution.retriedAttemptStates ?? []).some((state) => statesMatch(state, c.in, c.notIn));
    case 'ExecutionLabels':
      return !!execution && hasLabels(execution.labels, c.labels);
    case 'ExecutionOutputs': {
      if (!execution?.outputs || Object.keys(execution.outputs).length === 0) return false;
      const trigger = { ...(subject.context.trigger ?? {}), outputs: execution.outputs };
      return renderedTrue(render(c.expression, { trigger }));
    }
    case 'Expression':
      return renderedTrue(render(c.expression));
    case 'DayWeek':
      return dayOfWeek(localDate(render(c.date))) === c.dayOfWeek;
    case 'DayWeekInMonth': {
      const date = localDate(render(c.date));
      return sameDay(nthInMonth(date, c.dayOfWeek, c.dayInMonth), date);
    }
    case 'Weekend': {
      const day = dayOfWeek(localDate(render(c.date)));
      return day === 'SATURDAY' || day === 'SUNDAY';
    }
    case 'DateTimeBetween': {
      const at = instant(render(c.date));
      return (c.after === undefined || at > c.after) && (c.before === undefined || at < c.before);
    }
    case 'TimeBetween': {
      const at = offsetTimeOf(render(c.date));
      return (c.after === undefined || at.utcSecondOfDay > c.after.utcSecondOfDay) && (c.before === undefined || at.utcSecondOfDay < c.before.utcSecondOfDay);
    }
    case 'Not':
      return c.conditions.every((inner) => !conditionHolds(inner, subject, onError));
    case 'Or':
      return c.conditions.some((inner) => conditionHolds(inner, subject, onError));
    case 'UpstreamFlow':
      if (!execution) return false;
      if (execution.namespace !== c.namespace) return false;
      if (c.flowId !== undefined && execution.flowId !== c.flowId) return false;
      if (c.states !== undefined && !c.states.includes(execution.state)) return false;
      return c.labels === undefined || hasLabels(execution.labels, c.labels);
    case 'ExecutionFilter': {
      if (!execution) return false;
      const results = c.filters.map((rule) => filterHolds(rule, execution, render));
      return c.operand === 'OR' ? results.some(Boolean) : results.every(Boolean);
    }
  }
}

function filterHolds(rule: ExecutionFilterRule, execution: ConditionExecution, render: (t: string) => string): boolean {
  const field = rule.field === 'FLOW_ID' ? execution.flowId : rule.field === 'NAMESPACE' ? execution.namespace : rule.field === 'STATE' ? execution.state : render(rule.value ?? '');
  const value = rule.value ?? '';
  switch (rule.type) {
    case 'EQUAL_TO': return value === field;
    case 'NOT_EQUAL_TO': return value !== field;
    case 'IN': return (rule.values ?? []).includes(field);
    case 'NOT_IN': return !(rule.values ?? []).includes(field);
    case 'IS_TRUE': return isTruthy(field);
    case 'IS_FALSE': return !isTruthy(field);
    // Every field has a value once rendered (an expression renders to text), as in Kestra.
    case 'IS_NULL': return false;
    case 'IS_NOT_NULL': return true;
    case 'STARTS_WITH': return field.startsWith(value);
    case 'ENDS_WITH': return field.endsWith(value);
    case 'REGEX': return compileRegex(value, 'REGEX filter').matches(field);
    case 'CONTAINS': return field.includes(value);
  }
}

const statesMatch = (state: State, inStates?: readonly State[], notIn?: readonly State[]) =>
  (inStates === undefined || inStates.includes(state)) && (notIn === undefined || !notIn.includes(state));

const hasLabels = (have: readonly LabelPair[], want: readonly LabelPair[]) => want.every((w) => have.some((h) => h.key === w.key && h.value === w.value));

/** Kestra's Expression/ExecutionOutputs rule: blank or "false" (trimmed) is false; anything else true. */
const renderedTrue = (text: string) => !(text.trim() === '' || text.trim() === 'false');

interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The local date a date text names (its own wall date, whatever its offset), as DateUtils.parseLocalDate. */
function localDate(text: string): LocalDate {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) throw new Error(`"${text}" is not a date (yyyy-MM-dd...)`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function instant(text: string): number {
  const ms = Date.parse(text.trim());
  if (Number.isNaN(ms)) throw new Error(`"${text}" is not an ISO date-time`);
  return ms;
}

/** The time of day of a zoned date-time text, with its own offset (Java's toOffsetTime). */
function offsetTimeOf(text: string): OffsetTime {
  const m = /T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?(?:\[.*\])?\s*$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not an ISO date-time`);
  const local = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
  const zone = m[4];
  const offset = !zone || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(-2)) * 60);
  return { utcSecondOfDay: local - offset, text };
}

const utcDay = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day));
const dayOfWeek = (d: LocalDate): DayOfWeek => DAYS_OF_WEEK[(utcDay(d).getUTCDay() + 6) % 7]!;
const sameDay = (a: LocalDate, b: LocalDate) => a.year === b.year && a.month === b.month && a.day === b.day;

/** The first..fourth or last given weekday of the date's month (Java's TemporalAdjusters). */
function nthInMonth(date: LocalDate, weekday: DayOfWeek, which: DayInMonth): LocalDate {
  const target = DAYS_OF_WEEK.indexOf(weekday);
  const daysInMonth = new Date(Date.UTC(date.year, date.month, 0)).getUTCDate();
  const weekdayOf = (day: number) => (new Date(Date.UTC(date.year, date.month - 1, day)).getUTCDay() + 6) % 7;
  if (which === 'LAST') {
    let day = daysInMonth;
    while (weekdayOf(day) !== target) day--;
    return { ...date, day };
  }
  let day = 1;
  while (weekdayOf(day) !== target) day++;
  // SECOND..FOURTH step on by weeks; like Java's next(), it may run into the next month.
  const plusWeeks = which === 'FIRST' ? 0 : which === 'SECOND' ? 1 : which === 'THIRD' ? 2 : 3;
  const d = new Date(Date.UTC(date.year, date.month - 1, day + 7 * plusWeeks));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
