import { Cron } from 'croner';
import { STATES, type State } from '../execution/state.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { defaultKafkaTriggerGroup, reservedKafkaNameIssue } from './kafka-reserved-names.js';
import { parseTriggerRunOptions } from './trigger-run-options.js';
import { parseIsoDuration } from '../expression/iso-8601.js';
import { TERMINAL_STATES } from '../execution/state.js';
import { parseConditionList, parseMultiple } from './conditions/condition.parser.js';
import type { Condition } from './conditions/condition.model.js';
import { HTTP_TRIGGER_REQUEST_PROPERTIES, type MissedSchedulePolicy, type TriggerDefinition, type TriggerIssue } from './trigger.model.js';
import { parseHttpTriggerProperties, type RequestPropertiesCheck } from './http-trigger.parser.js';

/** Kestra's `sslOptions` on the http Request task and trigger (the Request task refuses it the same way). */
const SSL_OPTIONS_REASON = 'Chronicle uses the platform certificate store; custom trust or client certificates are not configurable yet';

/**
 * Kestra core triggers Chronicle deliberately does not run, with the reason (README, Triggers):
 * refused at deploy by name rather than as unknown. None today (the HTTP polling trigger runs since
 * the scheduler's HttpTriggerRunner); kept for the next one.
 */
const REFUSED_TRIGGER_TYPES: Readonly<Record<string, string>> = {};

const TYPES: Record<string, TriggerDefinition['kind']> = {
  Schedule: 'Schedule', 'io.kestra.plugin.core.trigger.Schedule': 'Schedule', 'io.kestra.core.models.triggers.types.Schedule': 'Schedule',
  // A Schedule whose ticks are a list of dates instead of a cron (schedule.ticks.ts); same runner, state and stopAfter.
  ScheduleOnDates: 'Schedule', 'io.kestra.plugin.core.trigger.ScheduleOnDates': 'Schedule',
  Webhook: 'Webhook', 'io.kestra.plugin.core.trigger.Webhook': 'Webhook', 'io.kestra.core.models.triggers.types.Webhook': 'Webhook',
  Kafka: 'Kafka', 'io.kestra.plugin.kafka.Trigger': 'Kafka', 'io.kestra.plugin.kafka.RealtimeTrigger': 'Kafka',
  Flow: 'Flow', 'io.kestra.plugin.core.trigger.Flow': 'Flow', 'io.kestra.core.models.triggers.types.Flow': 'Flow',
  // Kestra's HTTP polling trigger and its alias (no short name: Kestra has none).
  'io.kestra.plugin.core.http.Trigger': 'Http', 'io.kestra.plugin.fs.http.Trigger': 'Http',
};
const KNOWN_STATES = new Set<string>(STATES);

/** Properties of Kestra's AbstractTrigger that every kind takes. */
// `runOptions` is Chronicle's own (Cloudomation's webhook settings): the run options of the executions it starts.
const COMMON = ['id', 'type', 'description', 'disabled', 'labels', 'inputs', 'conditions', 'runOptions'];
/**
 * Each kind's own properties; anything else is refused at deploy with its name, never ignored.
 * Kafka is not checked here: Kestra's Kafka trigger carries client settings (`properties`,
 * `serdeProperties`, `pollDuration`, ...) that Chronicle replaces with its own broker connection.
 */
const OWN_PROPERTIES: Partial<Record<TriggerDefinition['kind'] | 'ScheduleOnDates', readonly string[]>> = {
  Schedule: ['cron', 'expression', 'withSeconds', 'timezone', 'stopAfter', 'recoverMissedSchedules', 'lateMaximumDelay', 'scheduleConditions'],
  Webhook: ['key', 'wait', 'returnOutputs', 'secret', 'signatureHeader'],
  ScheduleOnDates: ['dates', 'timezone', 'stopAfter', 'recoverMissedSchedules'],
  Flow: ['states', 'preconditions'],
  Http: [...HTTP_TRIGGER_REQUEST_PROPERTIES, 'interval', 'responseCondition', 'stopAfter', 'encryptBody'],
};
/** Properties Kestra has that Chronicle refuses, with the reason and what to use instead. */
const REFUSED_PROPERTIES: Record<string, string> = {
  backfill: 'the deprecated Schedule `backfill` property is not supported; start a backfill from the API or UI instead',
  interval: 'the deprecated `interval` property is not supported; use `cron`',
  logLevel: 'trigger-level logLevel is not supported: a trigger writes no log lines of its own; set logLevel on tasks',
  logToFile: 'trigger-level logToFile is not supported: a trigger writes no log lines of its own; set logToFile on tasks',
  minLogLevel: 'trigger-level minLogLevel is not supported: a trigger writes no log lines of its own',
  stopAfter: 'stopAfter is supported on Schedule and HTTP triggers only',
  sslOptions: `is not supported by Chronicle: ${SSL_OPTIONS_REASON}`,
  // AbstractTrigger's workerGroup: Kestra's open-source edition refuses it too (WorkerGroupValidator).
  workerGroup: 'workerGroup is not supported: Worker Group is an Enterprise Edition functionality, refused by Kestra\'s open-source edition too; Chronicle evaluates every trigger in its scheduler',
};

/**
 * Validates a flow's `triggers:` list and returns typed definitions, or every problem found
 * (path + message). Unknown trigger types are reported, not silently ignored.
 */
export function parseTriggers(raw: readonly JsonValue[], requestCheck?: RequestPropertiesCheck): { triggers: TriggerDefinition[]; issues: TriggerIssue[] } {
  const triggers: TriggerDefinition[] = [];
  const issues: TriggerIssue[] = [];
  const ids = new Set<string>();
  raw.forEach((value, index) => {
    const path = `triggers[${index}]`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return void issues.push({ path, message: 'a trigger must be a map with id and type' });
    const t = value as JsonObject;
    const report = (field: string, message: string) => issues.push({ path: field === '' ? path : `${path}.${field}`, message });
    const id = t.id;
    if (typeof id !== 'string' || id === '') return void report('id', 'required string');
    if (ids.has(id)) report('id', `Duplicate trigger id with name [${id}] (trigger ids are unique)`);
    ids.add(id);
    const typeName = t.type;
    const kind = typeof typeName === 'string' ? TYPES[typeName] : undefined;
    const refused = typeof typeName === 'string' ? REFUSED_TRIGGER_TYPES[typeName] : undefined;
    if (refused !== undefined) return void report('type', `${typeName} is not supported by Chronicle: ${refused}`);
    if (!kind) return void report('type', `unknown trigger type ${JSON.stringify(typeName)}; supported: ${Object.keys(TYPES).filter((k) => !k.includes('.')).join(', ')} (or Kestra's full names)`);
    const runOptions = parseTriggerRunOptions(t.runOptions, (field, message) => issues.push({ path: `${path}.${field}`, message, refusedAtDeploy: true }));
    const base = { id, typeName: typeName as string, disabled: t.disabled === true, inputs: objectOf(t.inputs), labels: labelsOf(t.labels), ...(runOptions !== undefined ? { runOptions } : {}) };
    const onDates = kind === 'Schedule' && (typeName as string).endsWith('ScheduleOnDates');
    const own = OWN_PROPERTIES[onDates ? 'ScheduleOnDates' : kind];
    if (own) {
      let unknown = false;
      for (const key of Object.keys(t)) {
        if (COMMON.includes(key) || own.includes(key)) continue;
        unknown = true;
        report(key, REFUSED_PROPERTIES[key] ?? `unknown property "${key}" of a ${onDates ? 'ScheduleOnDates' : kind} trigger; it takes: ${[...COMMON.slice(2), ...own].join(', ')}`);
      }
      if (unknown) return;
    }
    // Kafka's own properties are not listed (see OWN_PROPERTIES), so its refusals are said here.
    if (kind === 'Kafka' && t.workerGroup !== undefined) return void report('workerGroup', REFUSED_PROPERTIES.workerGroup!);
    if (kind === 'Kafka' && t.conditions !== undefined) {
      return void report('conditions', `conditions on a ${kind} trigger are not supported; use its own filter (${kind === 'Kafka' ? 'condition' : 'a Flow trigger or an If task'})`);
    }
    switch (kind) {
      case 'Schedule': {
        if (onDates) {
          const before = issues.length;
          const timezone = typeof t.timezone === 'string' ? t.timezone : 'UTC';
          if (!validTimeZone(timezone)) report('timezone', `an IANA time zone such as Europe/Paris, got ${JSON.stringify(t.timezone)}`);
          const dates = datesOf(t.dates, (message) => report('dates', message));
          const policy = (t.recoverMissedSchedules ?? 'ALL') as MissedSchedulePolicy;
          if (!['ALL', 'LAST', 'NONE'].includes(policy)) report('recoverMissedSchedules', 'one of ALL, LAST, NONE');
          const stopAfter = statesOf(t.stopAfter, `${path}.stopAfter`, issues);
          const parsed = parseConditionList(t.conditions, `${path}.conditions`, issues);
          if (parsed.multiple.length > 0) report('conditions', 'a MultipleCondition judges upstream executions: use it on a Flow trigger');
          const notForSchedules = parsed.conditions.flatMap(executionConditionsIn);
          if (notForSchedules.length > 0) report('conditions', `${notForSchedules.join(', ')} judge${notForSchedules.length === 1 ? 's' : ''} an execution; a schedule has none (use date conditions: DayWeek, DayWeekInMonth, Weekend, TimeBetween, DateTimeBetween, Not, Or, Expression)`);
          if (issues.length > before || dates === undefined) return;
          triggers.push({ ...base, kind, dates, withSeconds: true, timezone, stopAfter, recoverMissedSchedules: policy, conditions: parsed.conditions });
          return;
        }
        const cron = t.cron ?? t.expression;
        const withSeconds = t.withSeconds === true;
        const timezone = typeof t.timezone === 'string' ? t.timezone : 'UTC';
        if (typeof cron !== 'string') return void report('cron', 'required cron expression');
        const fields = cron.trim().split(/\s+/).length;
        if (!cron.startsWith('@') && fields !== (withSeconds ? 6 : 5)) return void report('cron', `expected ${withSeconds ? 6 : 5} fields${withSeconds ? ' (withSeconds: true)' : ' (add withSeconds: true for 6)'}, got ${fields}: "${cron}"`);
        try {
          new Cron(cron, { timezone, paused: true });
        } catch (error) {
          return void report('cron', `invalid cron "${cron}" in ${timezone}: ${(error as Error).message}`);
        }
        const policy = (t.recoverMissedSchedules ?? 'ALL') as MissedSchedulePolicy;
        if (!['ALL', 'LAST', 'NONE'].includes(policy)) return void report('recoverMissedSchedules', 'one of ALL, LAST, NONE');
        const stopAfter = statesOf(t.stopAfter, `${path}.stopAfter`, issues);
        const before = issues.length;
        const parsed = parseConditionList(t.conditions ?? t.scheduleConditions, `${path}.conditions`, issues);
        const conditions = [...parsed.conditions];
        if (parsed.multiple.length > 0) report('conditions', 'a MultipleCondition judges upstream executions: use it on a Flow trigger');
        const notForSchedules = conditions.flatMap(executionConditionsIn);
        if (notForSchedules.length > 0) report('conditions', `${notForSchedules.join(', ')} judge${notForSchedules.length === 1 ? 's' : ''} an execution; a Schedule has none (use date conditions: DayWeek, DayWeekInMonth, Weekend, TimeBetween, DateTimeBetween, Not, Or, Expression)`);
        let lateMaximumDelayMs: number | undefined;
        if (t.lateMaximumDelay !== undefined) {
          lateMaximumDelayMs = typeof t.lateMaximumDelay === 'string' ? parseIsoDuration(t.lateMaximumDelay) : undefined;
          if (lateMaximumDelayMs === undefined) report('lateMaximumDelay', `an ISO-8601 duration such as PT1H, got ${JSON.stringify(t.lateMaximumDelay)}`);
        }
        if (issues.length > before) return;
        triggers.push({ ...base, kind, cron, withSeconds, timezone, stopAfter, recoverMissedSchedules: policy, conditions, ...(lateMaximumDelayMs !== undefined ? { lateMaximumDelayMs } : {}) });
        return;
      }
      case 'Http': {
        const before = issues.length;
        const props = parseHttpTriggerProperties(t, report, requestCheck);
        const stopAfter = statesOf(t.stopAfter, `${path}.stopAfter`, issues);
        const parsed = parseConditionList(t.conditions, `${path}.conditions`, issues);
        if (parsed.multiple.length > 0) report('conditions', 'a MultipleCondition judges upstream executions: use it on a Flow trigger');
        // Judged before each request, as Kestra does: there is no execution yet, only the poll's time.
        const notForPolls = parsed.conditions.flatMap(executionConditionsIn);
        if (notForPolls.length > 0) report('conditions', `${notForPolls.join(', ')} judge${notForPolls.length === 1 ? 's' : ''} an execution; an HTTP poll has none (use date conditions: DayWeek, DayWeekInMonth, Weekend, TimeBetween, DateTimeBetween, Not, Or, Expression)`);
        if (issues.length > before || !props) return;
        triggers.push({ ...base, kind, ...props, stopAfter, conditions: parsed.conditions });
        return;
      }
      case 'Webhook': {
        if (typeof t.key !== 'string' || t.key.length < 1) return void report('key', 'required string (the secret part of the webhook URL)');
        if (t.returnOutputs !== undefined && typeof t.returnOutputs !== 'boolean') return void report('returnOutputs', 'true or false');
        const parsed = parseConditionList(t.conditions, `${path}.conditions`, issues);
        if (parsed.multiple.length > 0) report('conditions', 'a MultipleCondition judges upstream executions: use it on a Flow trigger');
        const notForWebhooks = parsed.conditions.flatMap(executionConditionsIn);
        if (notForWebhooks.length > 0) report('conditions', `${notForWebhooks.join(', ')} judge${notForWebhooks.length === 1 ? 's' : ''} an upstream execution; a Webhook call has none (use Expression on trigger.body, headers or parameters, or date conditions)`);
        triggers.push({
          conditions: parsed.conditions,
          ...base, kind, key: t.key, wait: t.wait === true, returnOutputs: t.returnOutputs === true,
          ...(typeof t.secret === 'string' ? { secret: t.secret } : {}),
          signatureHeader: typeof t.signatureHeader === 'string' ? t.signatureHeader.toLowerCase() : 'x-hub-signature-256',
        });
        return;
      }
      case 'Kafka': {
        // One named topic: a pattern could match Chronicle's own topics as they appear, and a list's other topics would be silently unread.
        if (t.topicPattern !== undefined) return void report('topicPattern', 'is not supported: name the topic in `topic` (one trigger per topic)');
        if (Array.isArray(t.topic) && t.topic.length !== 1) return void report('topic', `one topic, got a list of ${t.topic.length}: use one trigger per topic`);
        const topic = Array.isArray(t.topic) ? t.topic[0] : t.topic;
        if (typeof topic !== 'string' || topic === '') return void report('topic', 'required topic name');
        const deserializer = (v: JsonValue | undefined, field: string): 'JSON' | 'STRING' => {
          const d = String(v ?? 'JSON').toUpperCase();
          if (d !== 'JSON' && d !== 'STRING') report(field, 'JSON or STRING');
          return d === 'STRING' ? 'STRING' : 'JSON';
        };
        const groupId = typeof t.groupId === 'string' ? t.groupId : defaultKafkaTriggerGroup(id);
        // The well-known prefix here; the scheduler and the deploy also check the configured one.
        const reserved = reservedKafkaNameIssue({ id, topic, groupId });
        if (reserved) return void issues.push({ path: `${path}.${reserved.field}`, message: reserved.message, reserved: true });
        triggers.push({
          ...base, kind, topic,
          groupId,
          keyDeserializer: deserializer(t.keyDeserializer, 'keyDeserializer'),
          valueDeserializer: deserializer(t.valueDeserializer, 'valueDeserializer'),
          ...(typeof t.condition === 'string' ? { condition: t.condition } : {}),
        });
        return;
      }
      case 'Flow': {
        const before = issues.length;
        // Kestra's default: every terminal state (a Flow trigger never sees CREATED).
        const states = t.states === undefined ? [...TERMINAL_STATES] : statesOf(t.states, `${path}.states`, issues);
        if (states.includes('CREATED')) report('states', 'CREATED is not a transition a Flow trigger can react to');
        const parsed = parseConditionList(t.conditions, `${path}.conditions`, issues);
        const multiple = [...parsed.multiple];
        if (t.preconditions !== undefined) {
          const pre = t.preconditions;
          if (!pre || typeof pre !== 'object' || Array.isArray(pre)) report('preconditions', 'a map with id, flows, where, timeWindow, resetOnSuccess');
          else {
            const preconditions = parseMultiple(pre as JsonObject, `${path}.preconditions`, issues, 'preconditions');
            if (preconditions) multiple.push(preconditions);
          }
        }
        const ids = multiple.map((m) => m.id);
        if (new Set(ids).size !== ids.length) report('conditions', `MultipleCondition and preconditions ids must differ (they key the stored windows): ${ids.join(', ')}`);
        if (issues.length > before) return;
        triggers.push({ ...base, kind, states, conditions: parsed.conditions, multiple });
        return;
      }
    }
  });
  return { triggers, issues };
}

/**
 * ScheduleOnDates' `dates` (Kestra: `Property<List<ZonedDateTime>>`, read by Jackson as ISO-8601
 * date-times with an offset): sorted instants, at second precision as Kestra truncates them.
 */
function datesOf(v: JsonValue | undefined, report: (message: string) => void): string[] | undefined {
  if (v === undefined || v === null) return void report('required: a list of ISO-8601 date-times with an offset, such as 2025-01-01T09:00:00+01:00');
  if (typeof v === 'string' && (v.includes('{{') || v.includes('{%'))) {
    return void report('an expression is not supported by Chronicle: the scheduler plans its ticks from the deployed list, so write the dates out (ISO-8601 date-times with an offset)');
  }
  if (!Array.isArray(v)) return void report('must be a list of ISO-8601 date-times with an offset');
  const instants: number[] = [];
  v.forEach((d, i) => {
    const ok = typeof d === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)(\[[^\]]+\])?$/.test(d) && !Number.isNaN(Date.parse(d.replace(/\[[^\]]+\]$/, '')));
    if (!ok) report(`dates[${i}] must be an ISO-8601 date-time with an offset, such as 2025-01-01T09:00:00Z, got ${JSON.stringify(d)}`);
    else instants.push(Math.floor(Date.parse((d as string).replace(/\[[^\]]+\]$/, '')) / 1000) * 1000);
  });
  if (instants.length !== v.length) return undefined;
  return [...new Set(instants)].sort((a, b) => a - b).map((ms) => new Date(ms).toISOString());
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The kinds inside a condition that need an execution (a Schedule tick has none). */
function executionConditionsIn(c: Condition): string[] {
  if (c.kind === 'Not' || c.kind === 'Or') return c.conditions.flatMap(executionConditionsIn);
  return ['DayWeek', 'DayWeekInMonth', 'Weekend', 'TimeBetween', 'DateTimeBetween', 'Expression'].includes(c.kind) ? [] : [c.kind];
}

function objectOf(v: JsonValue | undefined): JsonObject {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
}

function labelsOf(v: JsonValue | undefined): Record<string, string> {
  if (Array.isArray(v)) return Object.fromEntries(v.flatMap((l) => (l && typeof l === 'object' && !Array.isArray(l) ? [[String(l.key), String(l.value)]] : [])));
  return Object.fromEntries(Object.entries(objectOf(v)).map(([k, x]) => [k, String(x)]));
}

function statesOf(v: JsonValue | undefined, path: string, issues: TriggerIssue[]): State[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  const states: State[] = [];
  for (const s of list) {
    if (typeof s === 'string' && KNOWN_STATES.has(s)) states.push(s as State);
    else issues.push({ path, message: `unknown state ${JSON.stringify(s)}` });
  }
  return states;
}
