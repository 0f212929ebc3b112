import { Cron } from 'croner';
import { STATES, type State } from '../execution/state.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { defaultKafkaTriggerGroup, reservedKafkaNameIssue } from './kafka-reserved-names.js';
import { parseTriggerRunOptions } from './trigger-run-options.js';
import type { FlowTriggerCondition, MissedSchedulePolicy, TriggerDefinition, TriggerIssue } from './trigger.model.js';

const TYPES: Record<string, TriggerDefinition['kind']> = {
  Schedule: 'Schedule', 'io.kestra.plugin.core.trigger.Schedule': 'Schedule', 'io.kestra.core.models.triggers.types.Schedule': 'Schedule',
  Webhook: 'Webhook', 'io.kestra.plugin.core.trigger.Webhook': 'Webhook', 'io.kestra.core.models.triggers.types.Webhook': 'Webhook',
  Kafka: 'Kafka', 'io.kestra.plugin.kafka.Trigger': 'Kafka', 'io.kestra.plugin.kafka.RealtimeTrigger': 'Kafka',
  Flow: 'Flow', 'io.kestra.plugin.core.trigger.Flow': 'Flow', 'io.kestra.core.models.triggers.types.Flow': 'Flow',
};
const KNOWN_STATES = new Set<string>(STATES);

/**
 * Validates a flow's `triggers:` list and returns typed definitions, or every problem found
 * (path + message). Unknown trigger types are reported, not silently ignored.
 */
export function parseTriggers(raw: readonly JsonValue[]): { triggers: TriggerDefinition[]; issues: TriggerIssue[] } {
  const triggers: TriggerDefinition[] = [];
  const issues: TriggerIssue[] = [];
  const ids = new Set<string>();
  raw.forEach((value, index) => {
    const path = `triggers[${index}]`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return void issues.push({ path, message: 'a trigger must be a map with id and type' });
    const t = value as JsonObject;
    const report = (field: string, message: string) => issues.push({ path: `${path}.${field}`, message });
    const id = t.id;
    if (typeof id !== 'string' || id === '') return void report('id', 'required string');
    if (ids.has(id)) report('id', `duplicate trigger id "${id}"`);
    ids.add(id);
    const typeName = t.type;
    const kind = typeof typeName === 'string' ? TYPES[typeName] : undefined;
    if (!kind) return void report('type', `unknown trigger type ${JSON.stringify(typeName)}; supported: ${Object.keys(TYPES).filter((k) => !k.includes('.')).join(', ')} (or Kestra's full names)`);
    const runOptions = parseTriggerRunOptions(t.runOptions, (field, message) => issues.push({ path: `${path}.${field}`, message, refusedAtDeploy: true }));
    const base = { id, typeName: typeName as string, disabled: t.disabled === true, inputs: objectOf(t.inputs), labels: labelsOf(t.labels), ...(runOptions !== undefined ? { runOptions } : {}) };
    switch (kind) {
      case 'Schedule': {
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
        triggers.push({ ...base, kind, cron, withSeconds, timezone, stopAfter, recoverMissedSchedules: policy });
        return;
      }
      case 'Webhook': {
        if (typeof t.key !== 'string' || t.key.length < 1) return void report('key', 'required string (the secret part of the webhook URL)');
        if (t.returnOutputs !== undefined && typeof t.returnOutputs !== 'boolean') return void report('returnOutputs', 'true or false');
        triggers.push({
          ...base, kind, key: t.key, wait: t.wait === true, returnOutputs: t.returnOutputs === true,
          ...(typeof t.secret === 'string' ? { secret: t.secret } : {}),
          signatureHeader: typeof t.signatureHeader === 'string' ? t.signatureHeader.toLowerCase() : 'x-hub-signature-256',
        });
        return;
      }
      case 'Kafka': {
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
        const conditions: FlowTriggerCondition[] = [];
        const anyOf: FlowTriggerCondition[] = [];
        const list = Array.isArray(t.conditions) ? t.conditions : t.conditions && typeof t.conditions === 'object' ? Object.values(t.conditions) : [];
        list.forEach((c, i) => {
          const cp = `${path}.conditions[${i}]`;
          const cond = (c ?? {}) as JsonObject;
          const type = String(cond.type ?? '');
          if (type.endsWith('ExecutionFlowCondition')) conditions.push({ namespace: str(cond.namespace), flowId: str(cond.flowId) });
          else if (type.endsWith('ExecutionNamespaceCondition')) conditions.push({ namespace: str(cond.namespace), namespacePrefix: cond.comparison === 'PREFIX' || cond.prefix === true });
          else if (type.endsWith('ExecutionStatusCondition')) conditions.push({ states: statesOf(cond.in, `${cp}.in`, issues), notStates: statesOf(cond.notIn, `${cp}.notIn`, issues) });
          else issues.push({ path: `${cp}.type`, message: `unsupported condition ${JSON.stringify(type)}; supported: ExecutionFlowCondition, ExecutionNamespaceCondition, ExecutionStatusCondition` });
        });
        const pre = (t.preconditions ?? {}) as JsonObject;
        if (Array.isArray(pre.flows)) {
          pre.flows.forEach((f, i) => {
            const flow = (f ?? {}) as JsonObject;
            anyOf.push({ namespace: str(flow.namespace), flowId: str(flow.flowId), states: statesOf(flow.states, `${path}.preconditions.flows[${i}].states`, issues) });
          });
        }
        if (t.states !== undefined) conditions.push({ states: statesOf(t.states, `${path}.states`, issues) });
        if (conditions.length === 0 && anyOf.length === 0) return void report('conditions', 'a Flow trigger needs at least one condition (upstream namespace, flowId or states)');
        triggers.push({ ...base, kind, conditions, anyOf });
        return;
      }
    }
  });
  return { triggers, issues };
}

const str = (v: JsonValue | undefined) => (typeof v === 'string' ? v : undefined);

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
