import { STATES, type State } from '../../execution/state.js';
import { parseIsoDuration } from '../../expression/iso-8601.js';
import { compileRegex } from '../../expression/expression.regex.js';
import type { JsonObject, JsonValue } from '../../shared/json.js';
import type { TriggerIssue } from '../trigger.model.js';
import {
  DAYS_IN_MONTH, DAYS_OF_WEEK, FILTER_FIELDS, FILTER_TYPES,
  type Condition, type ConditionKind, type DayInMonth, type DayOfWeek, type ExecutionFilterRule, type LabelPair, type MultipleCondition, type OffsetTime, type TimeWindow,
} from './condition.model.js';

/** What a parsed `conditions:` list holds: plain conditions and MultipleConditions, kept apart. */
export interface ParsedConditions {
  readonly conditions: Condition[];
  readonly multiple: MultipleCondition[];
}

type Kind = ConditionKind | 'MultipleCondition';
const DEFAULT_DATE = '{{ trigger.date }}';
const PACKAGES = ['io.kestra.plugin.core.condition.', 'io.kestra.core.models.conditions.types.'];
const KINDS: readonly Kind[] = [
  'ExecutionFlow', 'ExecutionNamespace', 'ExecutionStatus', 'ExecutionLabels', 'ExecutionOutputs', 'Expression', 'HasRetryAttempt',
  'DayWeek', 'DayWeekInMonth', 'DateTimeBetween', 'TimeBetween', 'Weekend', 'Not', 'Or', 'MultipleCondition',
];
/** Each kind's own properties (besides `type`); anything else is refused, never ignored. */
const PROPERTIES: Record<Kind, readonly string[]> = {
  ExecutionFlow: ['namespace', 'flowId'],
  ExecutionNamespace: ['namespace', 'comparison', 'prefix'],
  ExecutionStatus: ['in', 'notIn'],
  ExecutionLabels: ['labels'],
  ExecutionOutputs: ['expression'],
  Expression: ['expression'],
  HasRetryAttempt: ['in', 'notIn'],
  DayWeek: ['date', 'dayOfWeek'],
  DayWeekInMonth: ['date', 'dayOfWeek', 'dayInMonth'],
  DateTimeBetween: ['date', 'after', 'before'],
  TimeBetween: ['date', 'after', 'before'],
  Weekend: ['date'],
  Not: ['conditions'],
  Or: ['conditions'],
  MultipleCondition: ['id', 'conditions', 'timeWindow', 'timeSLA', 'resetOnSuccess', 'window', 'windowAdvance'],
  UpstreamFlow: [],
  ExecutionFilter: [],
};
/** Kinds Kestra has that Chronicle refuses, with the reason. */
const REFUSED: Record<string, string> = {
  PublicHoliday: 'PublicHoliday needs a holiday calendar Chronicle does not ship; use DayWeek/Not/Or or an Expression condition',
  FlowCondition: 'FlowCondition is deprecated in Kestra; use io.kestra.plugin.core.condition.ExecutionFlow',
  FlowNamespaceCondition: 'FlowNamespaceCondition is deprecated in Kestra; use io.kestra.plugin.core.condition.ExecutionNamespace',
};
const STATE_SET = new Set<string>(STATES);

/** The kind a condition `type` names: Kestra's short, full and legacy (`...Condition`) names. */
export function conditionKindOf(type: string): Kind | undefined {
  let name = type;
  for (const prefix of PACKAGES) if (name.startsWith(prefix)) name = name.slice(prefix.length);
  if (name === 'VariableCondition' || name === 'ExpressionCondition') return 'Expression';
  if (name.endsWith('Condition') && name !== 'MultipleCondition') name = name.slice(0, -'Condition'.length);
  return (KINDS as readonly string[]).includes(name) ? (name as Kind) : undefined;
}

/** Parses a trigger's `conditions` (a list, or a map as Kestra also accepts). */
export function parseConditionList(raw: JsonValue | undefined, path: string, issues: TriggerIssue[]): ParsedConditions {
  const conditions: Condition[] = [];
  const multiple: MultipleCondition[] = [];
  if (raw === undefined || raw === null) return { conditions, multiple };
  const entries = Array.isArray(raw) ? raw.map((v, i) => [`${path}[${i}]`, v] as const) : isObject(raw) ? Object.entries(raw).map(([k, v]) => [`${path}.${k}`, v] as const) : undefined;
  if (!entries) {
    issues.push({ path, message: 'must be a list of conditions' });
    return { conditions, multiple };
  }
  for (const [p, value] of entries) {
    const parsed = parseCondition(value, p, issues, true);
    if (!parsed) continue;
    if ('timeWindow' in parsed) multiple.push(parsed);
    else conditions.push(parsed);
  }
  return { conditions, multiple };
}

function parseCondition(value: JsonValue, path: string, issues: TriggerIssue[], allowMultiple: boolean): Condition | MultipleCondition | undefined {
  if (!isObject(value)) return void issues.push({ path, message: 'a condition must be a map with a type' });
  const type = typeof value.type === 'string' ? value.type : '';
  const short = type.split('.').pop() ?? '';
  const refusal = REFUSED[short] ?? REFUSED[short.replace(/Condition$/, '')];
  if (refusal) return void issues.push({ path: `${path}.type`, message: refusal });
  const kind = conditionKindOf(type);
  if (!kind) return void issues.push({ path: `${path}.type`, message: `unknown condition type ${JSON.stringify(type)}; supported: ${KINDS.join(', ')} (io.kestra.plugin.core.condition.*)` });
  // `id` names a condition in Kestra's lists (it keys MultipleCondition results); accepted on any.
  const allowed = new Set(['type', 'id', ...PROPERTIES[kind]]);
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      issues.push({ path: `${path}.${key}`, message: `unknown property "${key}" of ${kind}; it has: ${PROPERTIES[kind].join(', ') || '(none)'}` });
      ok = false;
    }
  }
  const report = (field: string, message: string) => {
    issues.push({ path: `${path}.${field}`, message });
    ok = false;
  };
  const str = (field: string, required: boolean): string | undefined => {
    const v = value[field];
    if (v === undefined || v === null) return void (required && report(field, 'required'));
    if (typeof v !== 'string' || v === '') return void report(field, 'must be a non-empty string');
    return v;
  };
  const date = () => str('date', false) ?? DEFAULT_DATE;
  const states = (field: string) => statesOf(value[field], `${path}.${field}`, issues, () => (ok = false));
  const nested = (field: string): Condition[] => {
    const list = value[field];
    if (!Array.isArray(list) || list.length === 0) return report(field, 'a non-empty list of conditions'), [];
    return list.flatMap((c, i) => {
      const parsed = parseCondition(c, `${path}.${field}[${i}]`, issues, false);
      return parsed && !('timeWindow' in parsed) ? [parsed] : [];
    });
  };
  let condition: Condition | MultipleCondition | undefined;
  switch (kind) {
    case 'ExecutionFlow':
      condition = { kind, namespace: str('namespace', true) ?? '', flowId: str('flowId', true) ?? '' };
      break;
    case 'ExecutionNamespace': {
      const comparison = value.comparison === undefined ? (value.prefix === true ? 'PREFIX' : 'EQUALS') : String(value.comparison);
      if (!['EQUALS', 'PREFIX', 'SUFFIX'].includes(comparison)) report('comparison', 'one of EQUALS, PREFIX, SUFFIX');
      if (value.prefix !== undefined && typeof value.prefix !== 'boolean') report('prefix', 'true or false');
      condition = { kind, namespace: str('namespace', true) ?? '', comparison: comparison as 'EQUALS' };
      break;
    }
    case 'ExecutionStatus':
    case 'HasRetryAttempt': {
      const inStates = states('in');
      const notIn = states('notIn');
      condition = { kind, ...(value.in !== undefined ? { in: inStates } : {}), ...(value.notIn !== undefined ? { notIn } : {}) };
      break;
    }
    case 'ExecutionLabels': {
      const labels = labelPairs(value.labels);
      if (!labels) report('labels', 'required: a map of key: value, or a list of {key, value}');
      condition = { kind, labels: labels ?? [] };
      break;
    }
    case 'ExecutionOutputs':
    case 'Expression':
      condition = { kind, expression: str('expression', true) ?? '' };
      break;
    case 'DayWeek':
      condition = { kind, date: date(), dayOfWeek: oneOf(value.dayOfWeek, DAYS_OF_WEEK, 'dayOfWeek', report) as DayOfWeek };
      break;
    case 'DayWeekInMonth':
      condition = { kind, date: date(), dayOfWeek: oneOf(value.dayOfWeek, DAYS_OF_WEEK, 'dayOfWeek', report) as DayOfWeek, dayInMonth: oneOf(value.dayInMonth, DAYS_IN_MONTH, 'dayInMonth', report) as DayInMonth };
      break;
    case 'DateTimeBetween': {
      const instant = (field: 'after' | 'before') => {
        const v = value[field];
        if (v === undefined || v === null) return undefined;
        const ms = typeof v === 'string' && /\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
        if (Number.isNaN(ms)) return void report(field, `an ISO date-time with offset, e.g. 2024-01-01T00:00:00Z, got ${JSON.stringify(v)}`);
        return ms;
      };
      const after = instant('after');
      const before = instant('before');
      if (value.after == null && value.before == null) report('after', 'set after, before, or both');
      condition = { kind, date: date(), ...(after !== undefined ? { after } : {}), ...(before !== undefined ? { before } : {}) };
      break;
    }
    case 'TimeBetween': {
      const time = (field: 'after' | 'before') => {
        const v = value[field];
        if (v === undefined || v === null) return undefined;
        const parsed = typeof v === 'string' ? parseOffsetTime(v) : undefined;
        if (!parsed) return void report(field, `a time with offset, e.g. 14:00:00Z or 08:30:00+02:00, got ${JSON.stringify(v)}`);
        return parsed;
      };
      const after = time('after');
      const before = time('before');
      if (value.after == null && value.before == null) report('after', 'set after, before, or both');
      condition = { kind, date: date(), ...(after ? { after } : {}), ...(before ? { before } : {}) };
      break;
    }
    case 'Weekend':
      condition = { kind, date: date() };
      break;
    case 'Not':
    case 'Or':
      condition = { kind, conditions: nested('conditions') };
      break;
    case 'MultipleCondition': {
      if (!allowMultiple) return void report('type', 'a MultipleCondition cannot be nested in another condition');
      const multiple = parseMultiple(value, path, issues, 'MultipleCondition');
      if (!multiple) ok = false;
      condition = multiple;
      break;
    }
    default:
      return undefined;
  }
  return ok ? condition : undefined;
}

/**
 * A MultipleCondition, or a Flow trigger's `preconditions` (`flows` and `where` become its
 * conditions, keyed `condition_<n>` as Kestra keys them).
 */
export function parseMultiple(value: JsonObject, path: string, issues: TriggerIssue[], form: 'MultipleCondition' | 'preconditions'): MultipleCondition | undefined {
  const before = issues.length;
  const id = value.id;
  if (typeof id !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_-]*$/.test(id)) issues.push({ path: `${path}.id`, message: 'required: letters, digits, _ and - (it keys the stored window)' });
  const resetOnSuccess = value.resetOnSuccess === undefined ? true : value.resetOnSuccess;
  if (typeof resetOnSuccess !== 'boolean') issues.push({ path: `${path}.resetOnSuccess`, message: 'true or false' });
  const timeWindow = parseTimeWindow(value.timeWindow ?? value.timeSLA, value.window, value.windowAdvance, path, issues);
  const conditions: Record<string, Condition> = {};
  if (form === 'MultipleCondition') {
    if (!isObject(value.conditions) || Object.keys(value.conditions).length === 0) issues.push({ path: `${path}.conditions`, message: 'required: a map of condition id → condition' });
    else for (const [key, c] of Object.entries(value.conditions)) {
      const parsed = parseCondition(c, `${path}.conditions.${key}`, issues, false);
      if (parsed && !('timeWindow' in parsed)) conditions[key] = parsed;
    }
  } else {
    for (const key of Object.keys(value)) {
      if (!['id', 'flows', 'where', 'timeWindow', 'resetOnSuccess'].includes(key)) issues.push({ path: `${path}.${key}`, message: `unknown property "${key}" of preconditions; it has: id, flows, where, timeWindow, resetOnSuccess` });
    }
    let n = 0;
    const flows = value.flows ?? [];
    if (!Array.isArray(flows)) issues.push({ path: `${path}.flows`, message: 'a list of {namespace, flowId, states, labels}' });
    else flows.forEach((f, i) => {
      const p = `${path}.flows[${i}]`;
      if (!isObject(f)) return void issues.push({ path: p, message: 'a map with namespace, flowId, states, labels' });
      for (const key of Object.keys(f)) if (!['namespace', 'flowId', 'states', 'labels'].includes(key)) issues.push({ path: `${p}.${key}`, message: `unknown property "${key}"; an upstream flow has namespace, flowId, states, labels` });
      if (typeof f.namespace !== 'string' || f.namespace === '') issues.push({ path: `${p}.namespace`, message: 'required' });
      const labels = f.labels === undefined ? undefined : labelPairs(f.labels);
      if (f.labels !== undefined && !labels) issues.push({ path: `${p}.labels`, message: 'a map of key: value' });
      conditions[`condition_${++n}`] = {
        kind: 'UpstreamFlow', namespace: String(f.namespace ?? ''),
        ...(typeof f.flowId === 'string' ? { flowId: f.flowId } : {}),
        ...(f.states !== undefined ? { states: statesOf(f.states, `${p}.states`, issues, () => undefined) } : {}),
        ...(labels ? { labels } : {}),
      };
    });
    const where = value.where ?? [];
    if (!Array.isArray(where)) issues.push({ path: `${path}.where`, message: 'a list of {id, operand, filters}' });
    else where.forEach((w, i) => {
      const filter = parseExecutionFilter(w, `${path}.where[${i}]`, issues);
      if (filter) conditions[`condition_${++n}_${filter.id}`] = filter;
    });
    if (n === 0) issues.push({ path, message: 'preconditions need flows or where' });
  }
  if (issues.length > before) return undefined;
  return { id: id as string, timeWindow: timeWindow!, resetOnSuccess: resetOnSuccess as boolean, conditions };
}

function parseExecutionFilter(value: JsonValue, path: string, issues: TriggerIssue[]): Extract<Condition, { kind: 'ExecutionFilter' }> | undefined {
  if (!isObject(value)) return void issues.push({ path, message: 'a map with id, operand, filters' });
  const before = issues.length;
  for (const key of Object.keys(value)) if (!['id', 'operand', 'filters'].includes(key)) issues.push({ path: `${path}.${key}`, message: `unknown property "${key}"; a where entry has id, operand, filters` });
  if (typeof value.id !== 'string' || value.id === '') issues.push({ path: `${path}.id`, message: 'required' });
  const operand = value.operand === undefined ? 'AND' : value.operand;
  if (operand !== 'AND' && operand !== 'OR') issues.push({ path: `${path}.operand`, message: 'AND or OR' });
  const filters: ExecutionFilterRule[] = [];
  if (!Array.isArray(value.filters) || value.filters.length === 0) issues.push({ path: `${path}.filters`, message: 'required: a non-empty list of {field, type, value|values}' });
  else value.filters.forEach((f, i) => {
    const p = `${path}.filters[${i}]`;
    if (!isObject(f)) return void issues.push({ path: p, message: 'a map with field, type, value or values' });
    for (const key of Object.keys(f)) if (!['field', 'type', 'value', 'values'].includes(key)) issues.push({ path: `${p}.${key}`, message: `unknown property "${key}"; a filter has field, type, value, values` });
    const field = String(f.field ?? '');
    const type = String(f.type ?? '');
    if (!(FILTER_FIELDS as readonly string[]).includes(field)) issues.push({ path: `${p}.field`, message: `one of ${FILTER_FIELDS.join(', ')}` });
    if (!(FILTER_TYPES as readonly string[]).includes(type)) issues.push({ path: `${p}.type`, message: `one of ${FILTER_TYPES.join(', ')}` });
    const needsValues = type === 'IN' || type === 'NOT_IN';
    // EXPRESSION renders `value`, so it always needs one; IS_TRUE/IS_FALSE/IS_NULL/IS_NOT_NULL of a
    // field judge the field alone; every other type compares the field with `value`.
    const needsValue = field === 'EXPRESSION' || (!needsValues && !['IS_TRUE', 'IS_FALSE', 'IS_NULL', 'IS_NOT_NULL'].includes(type));
    if (needsValues && (!Array.isArray(f.values) || f.values.some((v) => typeof v !== 'string'))) issues.push({ path: `${p}.values`, message: `required for ${type}: a list of strings` });
    if (needsValue && typeof f.value !== 'string') issues.push({ path: `${p}.value`, message: `required for ${field} ${type}: a string` });
    if (type === 'REGEX' && typeof f.value === 'string') {
      try {
        compileRegex(f.value, 'REGEX filter');
      } catch (error) {
        issues.push({ path: `${p}.value`, message: `not a valid regular expression: ${(error as Error).message}` });
      }
    }
    filters.push({ field: field as ExecutionFilterRule['field'], type: type as ExecutionFilterRule['type'], ...(typeof f.value === 'string' ? { value: f.value } : {}), ...(Array.isArray(f.values) ? { values: f.values.map(String) } : {}) });
  });
  if (issues.length > before) return undefined;
  return { kind: 'ExecutionFilter', id: value.id as string, operand: operand as 'AND' | 'OR', filters };
}

function parseTimeWindow(raw: JsonValue | undefined, legacyWindow: JsonValue | undefined, legacyAdvance: JsonValue | undefined, path: string, issues: TriggerIssue[]): TimeWindow | undefined {
  const tw = raw === undefined || raw === null ? {} : raw;
  const p = `${path}.timeWindow`;
  if (!isObject(tw)) return void issues.push({ path: p, message: 'a map with type and its fields' });
  for (const key of Object.keys(tw)) if (!['type', 'window', 'windowAdvance', 'deadline', 'startTime', 'endTime'].includes(key)) issues.push({ path: `${p}.${key}`, message: `unknown property "${key}"; a time window has type, window, windowAdvance, deadline, startTime, endTime` });
  const type = String(tw.type ?? 'DURATION_WINDOW');
  const duration = (v: JsonValue | undefined, field: string): number | undefined => {
    if (v === undefined || v === null) return undefined;
    const ms = typeof v === 'string' ? parseIsoDuration(v) : undefined;
    if (ms === undefined) issues.push({ path: `${p}.${field}`, message: `an ISO-8601 duration such as PT1H or P1D, got ${JSON.stringify(v)}` });
    return ms;
  };
  const time = (field: string): number | undefined => {
    const v = tw[field];
    const seconds = typeof v === 'string' ? localTimeSeconds(v) : undefined;
    if (seconds === undefined) issues.push({ path: `${p}.${field}`, message: `required for ${type}: a time of day such as "09:00:00"` });
    return seconds;
  };
  switch (type) {
    case 'DURATION_WINDOW': {
      const windowMs = duration(tw.window ?? legacyWindow, 'window') ?? 86_400_000;
      const advance = duration(tw.windowAdvance ?? legacyAdvance, 'windowAdvance');
      if (windowMs <= 0) issues.push({ path: `${p}.window`, message: 'must be longer than zero' });
      return { type, windowMs, ...(advance !== undefined ? { windowAdvanceMs: advance } : {}) };
    }
    case 'SLIDING_WINDOW': {
      const windowMs = duration(tw.window ?? legacyWindow, 'window') ?? 86_400_000;
      return { type, windowMs };
    }
    case 'DAILY_TIME_DEADLINE':
      return { type, deadlineSecondOfDay: time('deadline') ?? 0 };
    case 'DAILY_TIME_WINDOW':
      return { type, startSecondOfDay: time('startTime') ?? 0, endSecondOfDay: time('endTime') ?? 0 };
    default:
      issues.push({ path: `${p}.type`, message: 'one of DURATION_WINDOW, SLIDING_WINDOW, DAILY_TIME_DEADLINE, DAILY_TIME_WINDOW' });
      return undefined;
  }
}

function statesOf(v: JsonValue | undefined, path: string, issues: TriggerIssue[], onError: () => void): State[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  const states: State[] = [];
  for (const s of list) {
    if (typeof s === 'string' && STATE_SET.has(s)) states.push(s as State);
    else {
      issues.push({ path, message: `unknown state ${JSON.stringify(s)}; one of ${STATES.join(', ')}` });
      onError();
    }
  }
  return states;
}

/** Labels as Kestra writes them: a map, or a list of `{key, value}`. */
export function labelPairs(v: JsonValue | undefined): LabelPair[] | undefined {
  if (Array.isArray(v)) {
    const pairs = v.map((l) => (isObject(l) && typeof l.key === 'string' ? { key: l.key, value: String(l.value) } : undefined));
    return pairs.every((p) => p !== undefined) ? (pairs as LabelPair[]) : undefined;
  }
  if (isObject(v)) return Object.entries(v).map(([key, value]) => ({ key, value: String(value) }));
  return undefined;
}

function oneOf(v: JsonValue | undefined, allowed: readonly string[], field: string, report: (f: string, m: string) => void): string {
  if (typeof v === 'string' && allowed.includes(v)) return v;
  report(field, `required: one of ${allowed.join(', ')}`);
  return allowed[0]!;
}

/** "09:00", "09:00:00" or "09:00:00.5" → seconds of the day. */
export function localTimeSeconds(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  return h < 24 && min < 60 && s < 60 ? h * 3600 + min * 60 + s : undefined;
}

/** Java's OffsetTime text: "14:00:00Z", "08:30+02:00"; without an offset, UTC. */
export function parseOffsetTime(text: string): OffsetTime | undefined {
  const m = /^(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const local = localTimeSeconds(m[1]!);
  if (local === undefined) return undefined;
  const offset = !m[2] || m[2] === 'Z' ? 0 : (m[2].startsWith('-') ? -1 : 1) * (Number(m[2].slice(1, 3)) * 3600 + Number(m[2].slice(4, 6)) * 60);
  return { utcSecondOfDay: local - offset, text };
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
