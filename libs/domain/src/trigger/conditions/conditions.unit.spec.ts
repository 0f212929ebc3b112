import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from '../../expression/expression-context.js';
import type { TriggerIssue } from '../trigger.model.js';
import { decideFlowTrigger } from '../flow-trigger.match.js';
import { parseTriggers } from '../trigger.parser.js';
import type { FlowTrigger } from '../trigger.model.js';
import { conditionHolds, type ConditionExecution } from './condition.evaluate.js';
import type { Condition, MultipleConditionWindow } from './condition.model.js';
import { parseConditionList } from './condition.parser.js';
import { newWindowBounds, stepMultipleCondition } from './multiple-condition.window.js';

const context = (over: Partial<ExpressionContext> = {}): ExpressionContext => ({
  inputs: {}, outputs: {}, labels: {}, execution: { id: 'x', startDate: '', originalId: 'x' }, flow: { id: 'f', namespace: 'n', revision: 1 }, now: '2026-01-01T00:00:00Z', ...over,
});
const one = (raw: object): Condition => {
  const issues: TriggerIssue[] = [];
  const parsed = parseConditionList([raw as never], 'conditions', issues);
  expect(issues).toEqual([]);
  return parsed.conditions[0]!;
};
const execution = (over: Partial<ConditionExecution> = {}): ConditionExecution => ({ id: 'e1', namespace: 'io.kestra.tests', flowId: 'flow', state: 'SUCCESS', labels: [], ...over });
const onDate = (c: object, date: string) => conditionHolds(one({ ...c, date }), { context: context() });

describe('conditions by name (io.kestra.plugin.core.condition.*)', () => {
  it('knows short, full and legacy names', () => {
    for (const type of ['ExecutionFlow', 'io.kestra.plugin.core.condition.ExecutionFlow', 'io.kestra.plugin.core.condition.ExecutionFlowCondition', 'io.kestra.core.models.conditions.types.ExecutionFlowCondition']) {
      expect(one({ type, namespace: 'a', flowId: 'b' }).kind).toBe('ExecutionFlow');
    }
    expect(one({ type: 'io.kestra.core.models.conditions.types.VariableCondition', expression: '{{ true }}' }).kind).toBe('Expression');
  });

  it('refuses unknown types and properties, and the ones Chronicle does not ship, with the reason', () => {
    const issues: TriggerIssue[] = [];
    parseConditionList([
      { type: 'io.kestra.plugin.core.condition.Nope' },
      { type: 'ExecutionFlow', namespace: 'a', flowId: 'b', flow: 'c' },
      { type: 'io.kestra.plugin.core.condition.PublicHoliday', country: 'FR' },
      { type: 'DayWeek', dayOfWeek: 'MONDAYS' },
      { type: 'ExecutionStatus', in: ['DONE'] },
    ], 'conditions', issues);
    expect(issues.map((i) => i.path)).toEqual(['conditions[0].type', 'conditions[1].flow', 'conditions[2].type', 'conditions[3].dayOfWeek', 'conditions[4].in']);
    expect(issues[2]!.message).toMatch(/holiday calendar/);
  });
});

// Cases from Kestra's tests: core/src/test/java/io/kestra/plugin/core/condition/*Test.java
describe('execution conditions', () => {
  it('ExecutionFlow, ExecutionNamespace (EQUALS/PREFIX/SUFFIX), ExecutionStatus (in/notIn)', () => {
    const s = { execution: execution(), context: context() };
    expect(conditionHolds(one({ type: 'ExecutionFlow', namespace: 'io.kestra.tests', flowId: 'flow' }), s)).toBe(true);
    expect(conditionHolds(one({ type: 'ExecutionFlow', namespace: 'io.kestra.tests', flowId: 'other' }), s)).toBe(false);
    expect(conditionHolds(one({ type: 'ExecutionNamespace', namespace: 'io.kestra.tests' }), s)).toBe(true);
    expect(conditionHolds(one({ type: 'ExecutionNamespace', namespace: 'io.kestra', prefix: true }), s)).toBe(true);
    expect(conditionHolds(one({ type: 'ExecutionNamespace', namespace: 'io.kestra', comparison: 'PREFIX' }), s)).toBe(true);
    expect(conditionHolds(one({ type: 'ExecutionNamespace', namespace: 'tests', comparison: 'SUFFIX' }), s)).toBe(true);
    expect(conditionHolds(one({ type: 'ExecutionNamespace', namespace: 'io.kestra' }), s)).toBe(false);
    expect(conditionHolds(one({ type: 'ExecutionStatus', in: ['SUCCESS'] }), s)).toBe(true);
    expect(conditionHolds(one({ type: 'ExecutionStatus', notIn: ['SUCCESS'] }), s)).toBe(false);
    expect(conditionHolds(one({ type: 'ExecutionStatus', in: ['SUCCESS'], notIn: ['FAILED'] }), s)).toBe(true);
  });

  it('ExecutionLabels needs every label (map or list form)', () => {
    const s = { execution: execution({ labels: [{ key: 'team', value: 'a' }, { key: 'env', value: 'prod' }] }), context: context() };
    expect(conditionHolds(one({ type: 'ExecutionLabels', labels: { team: 'a' } }), s)).toBe(true);
    expect(conditionHolds(one({ type: 'ExecutionLabels', labels: [{ key: 'team', value: 'a' }, { key: 'env', value: 'dev' }] }), s)).toBe(false);
  });

  it('ExecutionOutputs renders with trigger.outputs; false without outputs or on an error (ExecutionOutputsTest)', () => {
    const withOutputs = { execution: execution({ outputs: { test: 'value' } }), context: context() };
    expect(conditionHolds(one({ type: 'ExecutionOutputs', expression: "{{ trigger.outputs.test == 'value' }}" }), withOutputs)).toBe(true);
    const problems: string[] = [];
    expect(conditionHolds(one({ type: 'ExecutionOutputs', expression: '{{ unknown.name }}' }), withOutputs, (p) => problems.push(p))).toBe(false);
    expect(problems[0]).toMatch(/unknown/);
    expect(conditionHolds(one({ type: 'ExecutionOutputs', expression: '{{ not evaluated }}' }), { execution: execution(), context: context() })).toBe(false);
  });

  it('HasRetryAttempt looks at the attempts of retried task runs', () => {
    const c = one({ type: 'HasRetryAttempt', in: ['FAILED'] });
    expect(conditionHolds(c, { execution: execution({ retriedAttemptStates: ['FAILED', 'SUCCESS'] }), context: context() })).toBe(true);
    expect(conditionHolds(c, { execution: execution({ retriedAttemptStates: [] }), context: context() })).toBe(false);
  });

  it('Expression: blank or "false" is false, anything else true', () => {
    expect(conditionHolds(one({ type: 'Expression', expression: '{{ 1 == 1 }}' }), { context: context() })).toBe(true);
    expect(conditionHolds(one({ type: 'Expression', expression: '{{ 1 == 2 }}' }), { context: context() })).toBe(false);
    expect(conditionHolds(one({ type: 'Expression', expression: '   ' }), { context: context() })).toBe(false);
  });

  it('execution conditions do not hold without an execution', () => {
    expect(conditionHolds(one({ type: 'ExecutionStatus', in: ['SUCCESS'] }), { context: context() })).toBe(false);
  });
});

describe('date conditions', () => {
  it('DayWeek and Weekend (DayWeekTest, WeekendTest)', () => {
    expect(onDate({ type: 'DayWeek', dayOfWeek: 'MONDAY' }, '2021-04-19')).toBe(true);
    expect(onDate({ type: 'DayWeek', dayOfWeek: 'MONDAY' }, '2021-04-20T10:00:00+02:00')).toBe(false);
    expect(onDate({ type: 'Weekend' }, '2021-04-10')).toBe(true);
    expect(onDate({ type: 'Weekend' }, '2021-04-12')).toBe(false);
  });

  it('DayWeekInMonth (DayWeekInMonthTest)', () => {
    const cases: [string, string, string, boolean][] = [
      ['2021-04-01', 'MONDAY', 'FIRST', false], ['2021-04-05', 'MONDAY', 'FIRST', true], ['2021-04-01', 'THURSDAY', 'FIRST', true],
      ['2021-04-01', 'MONDAY', 'LAST', false], ['2021-04-26', 'MONDAY', 'LAST', true], ['2021-04-12', 'MONDAY', 'SECOND', true],
      ['2021-04-19', 'MONDAY', 'THIRD', true], ['2021-04-26', 'MONDAY', 'FOURTH', true],
    ];
    for (const [date, dayOfWeek, dayInMonth, expected] of cases) expect(onDate({ type: 'DayWeekInMonth', dayOfWeek, dayInMonth }, date)).toBe(expected);
  });

  it('TimeBetween compares times with their offsets (TimeBetweenTest)', () => {
    const date = '2024-02-21T16:19:12+02:00';
    expect(onDate({ type: 'TimeBetween', after: '16:19:11.000000+02:00' }, date)).toBe(true);
    expect(onDate({ type: 'TimeBetween', after: '17:19:12.000000+02:00' }, date)).toBe(false);
    expect(onDate({ type: 'TimeBetween', before: '16:20:12.000000+02:00', after: '16:18:12.000000+02:00' }, date)).toBe(true);
    expect(onDate({ type: 'TimeBetween', before: '16:18:12.000000+02:00' }, date)).toBe(false);
    expect(onDate({ type: 'TimeBetween', before: '14:20:00Z' }, date)).toBe(true);
  });

  it('DateTimeBetween (DateTimeBetweenTest), with {{ now() }}', () => {
    const date = '2013-09-08T16:19:12.000000+02:00';
    expect(onDate({ type: 'DateTimeBetween', before: '2013-09-08T16:20:12.000000+02:00', after: '2013-09-08T16:18:12.000000+02:00' }, date)).toBe(true);
    expect(onDate({ type: 'DateTimeBetween', after: '2026-01-01T00:00:00Z' }, date)).toBe(false);
    expect(conditionHolds(one({ type: 'DateTimeBetween', date: '{{ now() }}', after: '2025-12-31T23:00:00Z', before: '2026-01-01T01:00:00Z' }), { context: context() })).toBe(true);
  });

  it('Not and Or (NotTest, OrTest)', () => {
    // Nested conditions judge their default date, {{ trigger.date }} (a Schedule's tick).
    const onTick = (c: object, date: string) => conditionHolds(one(c), { context: context({ trigger: { date } }) });
    expect(onTick({ type: 'Not', conditions: [{ type: 'Weekend' }] }, '2021-04-12T09:00:00Z')).toBe(true);
    expect(onTick({ type: 'Or', conditions: [{ type: 'DayWeek', dayOfWeek: 'MONDAY' }, { type: 'Weekend' }] }, '2021-04-10T09:00:00Z')).toBe(true);
    expect(onTick({ type: 'Or', conditions: [{ type: 'DayWeek', dayOfWeek: 'MONDAY' }, { type: 'Weekend' }] }, '2021-04-14T09:00:00Z')).toBe(false);
  });
});

describe('MultipleCondition windows (MultipleConditionStorageInterface.getOrCreate)', () => {
  const at = Date.parse('2026-03-04T10:37:21.500Z');
  it('a DURATION_WINDOW of a day starts at midnight; of an hour at the hour; of minutes at their multiple', () => {
    expect(newWindowBounds({ type: 'DURATION_WINDOW', windowMs: 86_400_000 }, at)).toEqual({ start: Date.parse('2026-03-04T00:00:00Z'), end: Date.parse('2026-03-04T23:59:59.999Z') });
    expect(newWindowBounds({ type: 'DURATION_WINDOW', windowMs: 3_600_000 }, at).start).toBe(Date.parse('2026-03-04T10:00:00Z'));
    expect(newWindowBounds({ type: 'DURATION_WINDOW', windowMs: 600_000 }, at).start).toBe(Date.parse('2026-03-04T10:30:00Z'));
    expect(newWindowBounds({ type: 'DURATION_WINDOW', windowMs: 86_400_000, windowAdvanceMs: 6 * 3_600_000 }, at).start).toBe(Date.parse('2026-03-04T06:00:00Z'));
    expect(newWindowBounds({ type: 'DAILY_TIME_DEADLINE', deadlineSecondOfDay: 9 * 3600 }, at)).toEqual({ start: Date.parse('2026-03-04T00:00:00Z'), end: Date.parse('2026-03-04T09:00:00Z') });
  });

  it('fires once every condition has held within the window, then resets', () => {
    const issues: TriggerIssue[] = [];
    const { multiple } = parseConditionList([{ id: 'm', type: 'MultipleCondition', window: 'P1D', windowAdvance: 'P0D', conditions: { a: { type: 'ExecutionFlow', namespace: 'n', flowId: 'a' }, b: { type: 'ExecutionFlow', namespace: 'n', flowId: 'b' } } }], 'c', issues);
    expect(issues).toEqual([]);
    const m = multiple[0]!;
    const first = stepMultipleCondition(m, undefined, { a: true, b: false }, at);
    expect(first).toMatchObject({ satisfied: false, remove: false, save: { conditionId: 'm', results: { a: true } } });
    const second = stepMultipleCondition(m, first.save, { a: false, b: true }, at + 1000);
    expect(second).toEqual({ satisfied: true, remove: true });
    // The next day's window starts empty: yesterday's result does not count.
    expect(stepMultipleCondition(m, first.save, { b: true }, at + 86_400_000).satisfied).toBe(false);
  });

  it('keeps firing within the window when resetOnSuccess is false', () => {
    const issues: TriggerIssue[] = [];
    const { multiple } = parseConditionList([{ id: 'm', type: 'MultipleCondition', resetOnSuccess: false, conditions: { a: { type: 'ExecutionFlow', namespace: 'n', flowId: 'a' } } }], 'c', issues);
    const step = stepMultipleCondition(multiple[0]!, undefined, { a: true }, at);
    expect(step.satisfied).toBe(true);
    expect(stepMultipleCondition(multiple[0]!, step.save, { a: false }, at + 1).satisfied).toBe(true);
  });
});

// core/src/test/resources/flows/valids/flow-trigger-preconditions-flow-listen.yaml and
// MultipleConditionTriggerCaseTest.flowTriggerPreconditions: flow a then flow b fire the listener once.
describe('Flow trigger preconditions (flows and where, all within the window)', () => {
  const { triggers, issues } = parseTriggers([{
    id: 'flow', type: 'io.kestra.plugin.core.trigger.Flow',
    preconditions: {
      id: 'flow',
      flows: [
        { namespace: 'io.kestra.tests.trigger.preconditions', flowId: 'flow-a', states: ['SUCCESS', 'WARNING', 'FAILED'] },
        { namespace: 'io.kestra.tests.trigger.preconditions', flowId: 'flow-b', states: ['SUCCESS'] },
      ],
      where: [
        { id: 'flow1', filters: [{ field: 'NAMESPACE', type: 'STARTS_WITH', value: 'io.kestra.tests.trigger' }, { field: 'FLOW_ID', type: 'EQUAL_TO', value: 'flow-a' }, { field: 'EXPRESSION', type: 'IS_TRUE', value: "{{labels.some == 'label'}}" }] },
        { id: 'flow2', filters: [{ field: 'NAMESPACE', type: 'ENDS_WITH', value: 'trigger.preconditions' }, { field: 'FLOW_ID', type: 'EQUAL_TO', value: 'flow-b' }] },
      ],
    },
  }]);
  const trigger = triggers[0] as FlowTrigger;
  const now = Date.parse('2026-05-05T12:00:00Z');
  const run = (flowId: string, windows: Map<string, MultipleConditionWindow>, labels: Record<string, string> = {}) => {
    const decision = decideFlowTrigger(trigger, { namespace: 'io.kestra.tests.trigger.preconditions', flowId: 'listen' },
      { execution: execution({ namespace: 'io.kestra.tests.trigger.preconditions', flowId, labels: Object.entries(labels).map(([key, value]) => ({ key, value })) }), context: context({ labels }) }, windows, now);
    for (const w of decision.save) windows.set(w.conditionId, w);
    for (const id of decision.remove) windows.delete(id);
    return decision.fires;
  };

  it('parses', () => expect(issues).toEqual([]));
  it('waits for every upstream flow and filter, then fires once and starts over', () => {
    const windows = new Map<string, MultipleConditionWindow>();
    expect(run('flow-a', windows, { some: 'label' })).toBe(false);
    expect(run('flow-b', windows)).toBe(true);
    expect(windows.size).toBe(0);
    expect(run('flow-b', windows)).toBe(false);
  });
  it('a where filter that does not hold keeps it waiting', () => {
    const windows = new Map<string, MultipleConditionWindow>();
    expect(run('flow-a', windows)).toBe(false);
    expect(run('flow-b', windows)).toBe(false);
  });
});
