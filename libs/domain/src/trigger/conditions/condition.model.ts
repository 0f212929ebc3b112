import type { State } from '../../execution/state.js';

/**
 * Kestra's trigger conditions (`io.kestra.plugin.core.condition.*`), validated. Execution
 * conditions judge an upstream execution (Flow triggers); date conditions judge a date, by
 * default `{{ trigger.date }}` (Schedule triggers, or any trigger through `date:`).
 */
export type Condition =
  | { readonly kind: 'ExecutionFlow'; readonly namespace: string; readonly flowId: string }
  | { readonly kind: 'ExecutionNamespace'; readonly namespace: string; readonly comparison: 'EQUALS' | 'PREFIX' | 'SUFFIX' }
  | { readonly kind: 'ExecutionStatus'; readonly in?: readonly State[]; readonly notIn?: readonly State[] }
  | { readonly kind: 'ExecutionLabels'; readonly labels: readonly LabelPair[] }
  | { readonly kind: 'ExecutionOutputs'; readonly expression: string }
  | { readonly kind: 'Expression'; readonly expression: string }
  | { readonly kind: 'HasRetryAttempt'; readonly in?: readonly State[]; readonly notIn?: readonly State[] }
  | { readonly kind: 'DayWeek'; readonly date: string; readonly dayOfWeek: DayOfWeek }
  | { readonly kind: 'DayWeekInMonth'; readonly date: string; readonly dayOfWeek: DayOfWeek; readonly dayInMonth: DayInMonth }
  | { readonly kind: 'DateTimeBetween'; readonly date: string; readonly after?: number; readonly before?: number }
  | { readonly kind: 'TimeBetween'; readonly date: string; readonly after?: OffsetTime; readonly before?: OffsetTime }
  | { readonly kind: 'Weekend'; readonly date: string }
  | { readonly kind: 'Not'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'Or'; readonly conditions: readonly Condition[] }
  /** `preconditions.flows[i]` of a Flow trigger. */
  | { readonly kind: 'UpstreamFlow'; readonly namespace: string; readonly flowId?: string; readonly states?: readonly State[]; readonly labels?: readonly LabelPair[] }
  /** `preconditions.where[i]` of a Flow trigger. */
  | { readonly kind: 'ExecutionFilter'; readonly id: string; readonly operand: 'AND' | 'OR'; readonly filters: readonly ExecutionFilterRule[] };

export type ConditionKind = Condition['kind'];

export interface LabelPair {
  readonly key: string;
  readonly value: string;
}

export const DAYS_OF_WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];
export const DAYS_IN_MONTH = ['FIRST', 'SECOND', 'THIRD', 'FOURTH', 'LAST'] as const;
export type DayInMonth = (typeof DAYS_IN_MONTH)[number];

/** A time of day with its UTC offset (Java's OffsetTime), compared as an instant of a day. */
export interface OffsetTime {
  /** Seconds since midnight UTC of the same wall time (may be outside 0..86399 before normalising). */
  readonly utcSecondOfDay: number;
  readonly text: string;
}

export const FILTER_FIELDS = ['FLOW_ID', 'NAMESPACE', 'STATE', 'EXPRESSION'] as const;
export const FILTER_TYPES = ['EQUAL_TO', 'NOT_EQUAL_TO', 'IN', 'NOT_IN', 'IS_TRUE', 'IS_FALSE', 'IS_NULL', 'IS_NOT_NULL', 'STARTS_WITH', 'ENDS_WITH', 'REGEX', 'CONTAINS'] as const;

export interface ExecutionFilterRule {
  readonly field: (typeof FILTER_FIELDS)[number];
  readonly type: (typeof FILTER_TYPES)[number];
  readonly value?: string;
  readonly values?: readonly string[];
}

/**
 * Kestra's MultipleCondition and a Flow trigger's `preconditions`: every named condition must have
 * held, each for some execution, within one time window; then the trigger fires (and, with
 * `resetOnSuccess`, the window starts over). Results are kept per window by the scheduler.
 */
export interface MultipleCondition {
  readonly id: string;
  readonly timeWindow: TimeWindow;
  readonly resetOnSuccess: boolean;
  /** Condition id → condition; the ids key the stored results. */
  readonly conditions: Readonly<Record<string, Condition>>;
}

export type TimeWindow =
  | { readonly type: 'DURATION_WINDOW'; readonly windowMs: number; readonly windowAdvanceMs?: number }
  | { readonly type: 'SLIDING_WINDOW'; readonly windowMs: number }
  | { readonly type: 'DAILY_TIME_DEADLINE'; readonly deadlineSecondOfDay: number }
  | { readonly type: 'DAILY_TIME_WINDOW'; readonly startSecondOfDay: number; readonly endSecondOfDay: number };

/** The stored state of one MultipleCondition: its window and which conditions held in it. */
export interface MultipleConditionWindow {
  readonly conditionId: string;
  /** Epoch ms, inclusive start and end, as Kestra's (start, end) pair. */
  readonly start: number;
  readonly end: number;
  readonly results: Readonly<Record<string, true>>;
}
