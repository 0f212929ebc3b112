import { describe, expect, it } from 'vitest';
import { decideFlowTrigger } from './flow-trigger.match.js';
import { missedTicks, nextTick, previousTick, ticksBetween } from './schedule.ticks.js';
import type { FlowTrigger, ScheduleTrigger, WebhookTrigger } from './trigger.model.js';
import { webhookCallAllowed } from './webhook-conditions.js';
import type { JsonObject } from '../shared/json.js';
import { parseTriggers } from './trigger.parser.js';
import { parseFlow } from '../flow/flow.parser.js';
import { CORE_TASK_CATALOG } from '../task-types/core-task-catalog.js';

const schedule = (over: Partial<ScheduleTrigger> = {}): ScheduleTrigger => {
  const { triggers, issues } = parseTriggers([{ id: 's', type: 'io.kestra.plugin.core.trigger.Schedule', cron: '30 2 * * *', timezone: 'Europe/Berlin' }]);
  expect(issues).toEqual([]);
  return { ...(triggers[0] as ScheduleTrigger), ...over };
};

describe('trigger definitions', () => {
  it('accepts short and Kestra full type names and keeps their settings', () => {
    const { triggers, issues } = parseTriggers([
      { id: 'daily', type: 'Schedule', cron: '0 9 * * 1-5', timezone: 'America/New_York', recoverMissedSchedules: 'LAST', stopAfter: ['FAILED'], inputs: { day: '{{ trigger.date }}' } },
      { id: 'hook', type: 'io.kestra.plugin.core.trigger.Webhook', key: 's3cr3t', wait: true, secret: 'hmac-key' },
      { id: 'orders', type: 'io.kestra.plugin.kafka.Trigger', topic: 'orders', groupId: 'g', valueDeserializer: 'JSON', condition: '{{ trigger.value.total > 10 }}' },
      { id: 'after', type: 'io.kestra.plugin.core.trigger.Flow', conditions: [{ type: 'io.kestra.plugin.core.condition.ExecutionFlowCondition', namespace: 'a', flowId: 'b' }, { type: 'io.kestra.plugin.core.condition.ExecutionStatusCondition', in: ['FAILED'] }] },
    ]);
    expect(issues).toEqual([]);
    expect(triggers.map((t) => t.kind)).toEqual(['Schedule', 'Webhook', 'Kafka', 'Flow']);
    expect(triggers[0]).toMatchObject({ cron: '0 9 * * 1-5', timezone: 'America/New_York', recoverMissedSchedules: 'LAST', stopAfter: ['FAILED'], inputs: { day: '{{ trigger.date }}' } });
    expect(triggers[1]).toMatchObject({ key: 's3cr3t', wait: true, secret: 'hmac-key', signatureHeader: 'x-hub-signature-256' });
    expect(triggers[2]).toMatchObject({ topic: 'orders', groupId: 'g', keyDeserializer: 'JSON', valueDeserializer: 'JSON' });
  });

  it('reports every problem with its path', () => {
    const { issues } = parseTriggers([
      { id: 'bad-cron', type: 'Schedule', cron: '61 * * * *' },
      { id: 'six', type: 'Schedule', cron: '0 0 9 * * *' },
      { id: 'nokey', type: 'Webhook' },
      { id: 'x', type: 'io.example.Nope' },
      { id: 'unknownprop', type: 'Flow', listenTo: 'everything' },
      { id: 'badstate', type: 'Flow', states: ['DONE'] },
    ]);
    expect(issues.map((i) => i.path)).toEqual(['triggers[0].cron', 'triggers[1].cron', 'triggers[2].key', 'triggers[3].type', 'triggers[4].listenTo', 'triggers[5].states']);
    expect(issues[1]!.message).toMatch(/withSeconds/);
  });
});

describe('schedule ticks (controlled clock)', () => {
  it('fires a 02:30 Berlin schedule once on the day clocks spring forward (02:30 does not exist)', () => {
    const ticks = ticksBetween(schedule(), new Date('2026-03-28T00:00:00Z'), new Date('2026-03-31T00:00:00Z'));
    expect(ticks.map((t) => t.toISOString())).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('fires a 02:30 Berlin schedule once on the day clocks fall back (02:30 happens twice)', () => {
    const ticks = ticksBetween(schedule(), new Date('2026-10-24T00:00:00Z'), new Date('2026-10-27T00:00:00Z'));
    expect(ticks.map((t) => t.toISOString())).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('supports six fields with withSeconds', () => {
    const { triggers } = parseTriggers([{ id: 's', type: 'Schedule', cron: '*/10 * * * * *', withSeconds: true }]);
    expect(nextTick(triggers[0] as ScheduleTrigger, new Date('2026-01-01T00:00:01Z'))!.toISOString()).toBe('2026-01-01T00:00:10.000Z');
  });

  it('recovers missed ticks by policy ALL, LAST or NONE', () => {
    const hourly = (policy: ScheduleTrigger['recoverMissedSchedules']) => schedule({ cron: '0 * * * *', timezone: 'UTC', recoverMissedSchedules: policy });
    const from = new Date('2026-01-01T00:00:00Z');
    const now = new Date('2026-01-01T03:30:00Z');
    expect(missedTicks(hourly('ALL'), from, now).map((t) => t.toISOString())).toEqual(['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z', '2026-01-01T03:00:00.000Z']);
    expect(missedTicks(hourly('LAST'), from, now).map((t) => t.toISOString())).toEqual(['2026-01-01T03:00:00.000Z']);
    expect(missedTicks(hourly('NONE'), from, now)).toEqual([]);
  });

  it('knows the previous tick', () => {
    const hourly = schedule({ cron: '0 * * * *', timezone: 'UTC' });
    expect(previousTick(hourly, new Date('2026-01-01T03:30:00Z'))!.toISOString()).toBe('2026-01-01T03:00:00.000Z');
  });
});

const ctx = { inputs: {}, outputs: {}, labels: {}, execution: { id: 'x', startDate: '', originalId: 'x' }, flow: { id: 'down', namespace: 'down', revision: 1 } };
const fires = (trigger: FlowTrigger, up: { namespace: string; flowId: string; state: 'FAILED' | 'SUCCESS' | 'KILLED' | 'RUNNING' }) =>
  decideFlowTrigger(trigger, { namespace: 'down', flowId: 'down' }, { execution: { id: 'e', labels: [], ...up }, context: ctx }, new Map(), Date.parse('2026-01-01T12:00:00Z')).fires;

describe('flow trigger conditions', () => {
  const trigger = parseTriggers([{ id: 'f', type: 'Flow', conditions: [{ type: 'ExecutionFlowCondition', namespace: 'up', flowId: 'etl' }, { type: 'ExecutionStatusCondition', in: ['FAILED'] }] }]).triggers[0] as FlowTrigger;
  it('fires on FAILED of the named upstream flow only', () => {
    expect(fires(trigger, { namespace: 'up', flowId: 'etl', state: 'FAILED' })).toBe(true);
    expect(fires(trigger, { namespace: 'up', flowId: 'etl', state: 'SUCCESS' })).toBe(false);
    expect(fires(trigger, { namespace: 'up', flowId: 'other', state: 'FAILED' })).toBe(false);
    expect(fires({ ...trigger, disabled: true }, { namespace: 'up', flowId: 'etl', state: 'FAILED' })).toBe(false);
  });
  it('listens to the terminal states by default, and to the states it names', () => {
    expect(fires(trigger, { namespace: 'up', flowId: 'etl', state: 'RUNNING' })).toBe(false);
    const running = parseTriggers([{ id: 'r', type: 'Flow', states: ['RUNNING'], conditions: [{ type: 'io.kestra.plugin.core.condition.ExecutionFlow', namespace: 'up', flowId: 'etl' }] }]).triggers[0] as FlowTrigger;
    expect(fires(running, { namespace: 'up', flowId: 'etl', state: 'RUNNING' })).toBe(true);
    expect(fires(running, { namespace: 'up', flowId: 'etl', state: 'SUCCESS' })).toBe(false);
  });
  it('compares namespaces as Kestra does: EQUALS, PREFIX (startsWith) and SUFFIX', () => {
    const ns = parseTriggers([{ id: 'n', type: 'Flow', conditions: [{ type: 'ExecutionNamespaceCondition', namespace: 'team', comparison: 'PREFIX' }] }]).triggers[0] as FlowTrigger;
    expect(fires(ns, { namespace: 'team.sub', flowId: 'z', state: 'SUCCESS' })).toBe(true);
    expect(fires(ns, { namespace: 'teammate', flowId: 'z', state: 'SUCCESS' })).toBe(true);
    expect(fires(ns, { namespace: 'other', flowId: 'z', state: 'SUCCESS' })).toBe(false);
  });
  it('never triggers a flow from its own executions', () => {
    const any = parseTriggers([{ id: 'a', type: 'Flow', conditions: [{ type: 'ExecutionNamespace', namespace: 'down' }] }]).triggers[0] as FlowTrigger;
    expect(fires(any, { namespace: 'down', flowId: 'down', state: 'SUCCESS' })).toBe(false);
    expect(fires(any, { namespace: 'down', flowId: 'other', state: 'SUCCESS' })).toBe(true);
  });
});

describe('schedule conditions', () => {
  it('a Schedule fires only on ticks whose conditions hold, judged in its own zone', () => {
    const { triggers, issues } = parseTriggers([{ id: 'mondays', type: 'Schedule', cron: '30 0 * * *', timezone: 'Europe/Paris', conditions: [{ type: 'io.kestra.plugin.core.condition.DayWeek', dayOfWeek: 'MONDAY' }] }]);
    expect(issues).toEqual([]);
    const mondays = triggers[0] as ScheduleTrigger;
    // 00:30 in Paris on Monday 2026-01-05 is Sunday 23:30 UTC: the Paris date decides.
    expect(nextTick(mondays, new Date('2026-01-01T00:00:00Z'))!.toISOString()).toBe('2026-01-04T23:30:00.000Z');
    expect(ticksBetween(mondays, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-20T00:00:00Z')).map((t) => t.toISOString())).toEqual(['2026-01-04T23:30:00.000Z', '2026-01-11T23:30:00.000Z', '2026-01-18T23:30:00.000Z']);
  });

  it('refuses execution conditions and MultipleConditions on a Schedule, and unknown properties', () => {
    const { issues } = parseTriggers([
      { id: 'a', type: 'Schedule', cron: '0 * * * *', conditions: [{ type: 'ExecutionStatus', in: ['SUCCESS'] }] },
      { id: 'b', type: 'Schedule', cron: '0 * * * *', backfill: { start: '2024-01-01T00:00:00Z' } },
      // A webhook call has no upstream execution to judge.
      { id: 'c', type: 'Webhook', key: 'k', conditions: [{ type: 'ExecutionStatus', in: ['SUCCESS'] }] },
      { id: 'd', type: 'Kafka', topic: 't', conditions: [{ type: 'Weekend' }] },
    ]);
    expect(issues.map((i) => i.path)).toEqual(['triggers[0].conditions', 'triggers[1].backfill', 'triggers[2].conditions', 'triggers[3].conditions']);
  });

  // Kestra's webhook-with-condition flow (core/src/test/resources/flows/valids/webhook-with-condition.yaml) and
  // ExecutionControllerTest#webhookWithCondition: `hello: world` starts an execution, `hello: webhook` is answered 204.
  it('a Webhook call passes its conditions only when all hold, judged on trigger.body', () => {
    const { triggers, issues } = parseTriggers([{
      id: 'webhook', type: 'io.kestra.plugin.core.trigger.Webhook', key: 'webhookKey',
      conditions: [{ type: 'io.kestra.plugin.core.condition.ExpressionCondition', expression: "{{trigger.body.hello == 'world'}}" }],
    }]);
    expect(issues).toEqual([]);
    const hook = triggers[0] as WebhookTrigger;
    const flow = { id: 'webhook-with-condition', namespace: 'io.kestra.tests', revision: 1 };
    const call = (body: JsonObject) => webhookCallAllowed(hook, flow, { body, headers: {}, parameters: {} }, '2026-01-01T00:00:00Z');
    expect(call({ hello: 'world' })).toBe(true);
    expect(call({ hello: 'webhook' })).toBe(false);
    const errors: string[] = [];
    expect(webhookCallAllowed(hook, flow, { body: null, headers: {}, parameters: {} }, '2026-01-01T00:00:00Z', (e) => errors.push(e))).toBe(false);
    expect(errors).toHaveLength(1);
  });

  it('skips missed ticks older than lateMaximumDelay', () => {
    const { triggers } = parseTriggers([{ id: 'h', type: 'Schedule', cron: '0 * * * *', timezone: 'UTC', lateMaximumDelay: 'PT2H' }]);
    const missed = missedTicks(triggers[0] as ScheduleTrigger, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T05:30:00Z'));
    expect(missed.map((t) => t.toISOString())).toEqual(['2026-01-01T04:00:00.000Z', '2026-01-01T05:00:00.000Z']);
  });
});

describe('trigger run options (a Webhook trigger sets priority, maxRuntime, mode... of the runs it starts)', () => {
  it('keeps the checked options', () => {
    const { triggers, issues } = parseTriggers([
      { id: 'hook', type: 'Webhook', key: 'k', labels: { source: 'crm' }, runOptions: { priority: 5, maxRuntime: 'PT10M', name: 'from the CRM', mode: 'DEVELOPMENT', message: 'queued by the CRM' } },
    ]);
    expect(issues).toEqual([]);
    expect(triggers[0]).toMatchObject({ labels: { source: 'crm' }, runOptions: { priority: 5, maxRuntime: 'PT10M', name: 'from the CRM', mode: 'DEVELOPMENT', message: 'queued by the CRM' } });
  });

  it('refuses at deploy an option no start would accept, naming the field', () => {
    const { issues } = parseTriggers([
      { id: 'hook', type: 'Webhook', key: 'k', runOptions: { priority: -1, maxRuntime: 'soon', mode: 'TEST', scheduledAt: '2030-01-01T00:00:00Z' } },
      { id: 'other', type: 'Webhook', key: 'k2', runOptions: 'fast' },
    ]);
    expect(issues.map((i) => [i.path, i.refusedAtDeploy])).toEqual([
      ['triggers[0].runOptions.priority', true], ['triggers[0].runOptions.maxRuntime', true], ['triggers[0].runOptions.mode', true],
      ['triggers[0].runOptions.scheduledAt', true], ['triggers[1].runOptions', true],
    ]);
    expect(issues[0]!.message).toMatch(/must be 0 or more/);
    expect(issues[3]!.message).toMatch(/not a run option a trigger can set/);
    // The flow parser (deploy) refuses them with their line.
    expect(() => parseFlow(`id: f\nnamespace: n\ntasks:\n  - { id: a, type: Log, message: hi }\ntriggers:\n  - id: hook\n    type: Webhook\n    key: k\n    runOptions: { priority: -1 }\n`, CORE_TASK_CATALOG, 1)).toThrow(/triggers\[0\]\.runOptions\.priority: must be 0 or more/);
  });
});

// Kestra: core/src/main/java/io/kestra/plugin/core/trigger/ScheduleOnDates.java (dates, timezone, inputs,
// recoverMissedSchedules; `interval` must stay null), ScheduleOnDatesTest (next date after the trigger's
// date, the first date without one, the previous date before now) and SchedulerScheduleOnDatesTest
// (recoverALLMissing / recoverLASTMissing: dates missed since the trigger's last date).
describe('ScheduleOnDates', () => {
  const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 12, 0, s));
  const onDates = (over: Record<string, unknown> = {}): ScheduleTrigger => {
    const { triggers, issues } = parseTriggers([{
      id: 'on-dates', type: 'io.kestra.plugin.core.trigger.ScheduleOnDates', timezone: 'Europe/Paris', inputs: { testInputs: 'test-inputs' },
      // Out of order and with offsets: read as instants, sorted, truncated to the second.
      dates: ['2030-01-01T13:00:10+01:00', '2030-01-01T12:00:00.900Z', '2030-01-01T12:00:05Z', '2030-01-01T13:00:20+01:00[Europe/Paris]'], ...over,
    }]);
    expect(issues).toEqual([]);
    return triggers[0] as ScheduleTrigger;
  };

  it('parses as a schedule over its dates, sorted, with its inputs and time zone', () => {
    expect(onDates()).toMatchObject({ kind: 'Schedule', dates: [at(0), at(5), at(10), at(20)].map((d) => d.toISOString()), timezone: 'Europe/Paris', inputs: { testInputs: 'test-inputs' }, recoverMissedSchedules: 'ALL' });
    expect(onDates().cron).toBeUndefined();
  });

  it('ticks at each date once: the next after a date, the previous before it (ScheduleOnDatesTest)', () => {
    const t = onDates();
    expect(nextTick(t, at(1))).toEqual(at(5));
    expect(nextTick(t, at(5))).toEqual(at(10));
    expect(nextTick(t, at(20))).toBeUndefined();
    expect(previousTick(t, at(11))).toEqual(at(10));
    expect(previousTick(t, at(0))).toBeUndefined();
    expect(ticksBetween(t, at(0), at(10))).toEqual([at(5), at(10)]);
  });

  it('recovers the dates missed since the last one fired: ALL, LAST or NONE (SchedulerScheduleOnDatesTest)', () => {
    expect(missedTicks(onDates(), at(-3600), at(12))).toEqual([at(0), at(5), at(10)]);
    expect(missedTicks(onDates({ recoverMissedSchedules: 'LAST' }), at(-3600), at(12))).toEqual([at(10)]);
    expect(missedTicks(onDates({ recoverMissedSchedules: 'NONE' }), at(-3600), at(12))).toEqual([]);
  });

  it('keeps to its date conditions', () => {
    const t = onDates({ conditions: [{ type: 'io.kestra.plugin.core.condition.DateTimeBetween', after: '2030-01-01T12:00:04Z' }] });
    expect(ticksBetween(t, at(-1), at(30))).toEqual([at(5), at(10), at(20)]);
  });

  it('refuses missing or malformed dates, an expression, a bad zone, cron properties and `interval`, each with its path', () => {
    const issues = parseTriggers([
      { id: 'a', type: 'ScheduleOnDates' },
      { id: 'b', type: 'ScheduleOnDates', dates: ['2030-01-01T12:00:00', 'tomorrow'] },
      { id: 'c', type: 'ScheduleOnDates', dates: "{{ ['2030-01-01T12:00:00Z'] }}" },
      { id: 'd', type: 'ScheduleOnDates', dates: ['2030-01-01T12:00:00Z'], timezone: 'Mars/Olympus' },
      { id: 'e', type: 'ScheduleOnDates', dates: ['2030-01-01T12:00:00Z'], cron: '* * * * *' },
      { id: 'f', type: 'ScheduleOnDates', dates: ['2030-01-01T12:00:00Z'], interval: 'PT1M' },
    ]).issues.map((i) => [i.path, i.message]);
    expect(issues).toEqual([
      ['triggers[0].dates', expect.stringContaining('required: a list of ISO-8601 date-times with an offset')],
      ['triggers[1].dates', expect.stringContaining('dates[0] must be an ISO-8601 date-time with an offset')],
      ['triggers[1].dates', expect.stringContaining('dates[1] must be an ISO-8601 date-time with an offset, such as 2025-01-01T09:00:00Z, got "tomorrow"')],
      ['triggers[2].dates', expect.stringContaining('an expression is not supported by Chronicle')],
      ['triggers[3].timezone', expect.stringContaining('an IANA time zone')],
      ['triggers[4].cron', expect.stringContaining('unknown property "cron" of a ScheduleOnDates trigger; it takes: description, disabled, labels, inputs, conditions, runOptions, dates, timezone, stopAfter, recoverMissedSchedules')],
      ['triggers[5].interval', expect.stringContaining('the deprecated `interval` property is not supported')],
    ]);
  });

  it('refuses workerGroup on every kind of trigger, as Kestra\'s open-source edition does (an Enterprise feature), never accepting it silently', () => {
    const wg = { workerGroup: { key: 'gpu' } };
    const { issues } = parseTriggers([
      { id: 's', type: 'Schedule', cron: '0 9 * * *', ...wg },
      { id: 'w', type: 'Webhook', key: 'k', ...wg },
      { id: 'k', type: 'io.kestra.plugin.kafka.Trigger', topic: 'orders', groupId: 'g', ...wg },
      { id: 'f', type: 'Flow', ...wg },
      { id: 'h', type: 'io.kestra.plugin.core.http.Trigger', uri: 'https://example.com', ...wg },
    ]);
    expect(issues.map((i) => i.path)).toEqual([0, 1, 2, 3, 4].map((n) => `triggers[${n}].workerGroup`));
    for (const issue of issues) expect(issue.message).toMatch(/workerGroup is not supported: Worker Group is an Enterprise Edition functionality/);
  });
});
