import type { JsonValue } from '../shared/json.js';
import { SLA_BEHAVIORS, SLA_TYPES, type SlaDefinition } from './flow.model.js';
import { parseDuration } from './flow-control.parser.js';
import { describe, isRecord, type Report } from './flow-parsing.helpers.js';

const KEYS: Readonly<Record<SlaDefinition['type'], readonly string[]>> = {
  MAX_DURATION: ['id', 'type', 'behavior', 'labels', 'duration'],
  EXECUTION_ASSERTION: ['id', 'type', 'behavior', 'labels', 'assert'],
};

/** Flow `sla:` (Kestra's SLA, MaxDurationSLA, ExecutionAssertionSLA). */
export const parseSla = (raw: JsonValue | undefined, report: Report): SlaDefinition[] | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    report(['sla'], `must be a list of { id, type, behavior, ... }, got ${describe(raw)}`);
    return undefined;
  }
  return raw.flatMap((item, i): SlaDefinition[] => {
    const at = ['sla', i];
    if (!isRecord(item)) {
      report(at, `an SLA must be a mapping with id, type and behavior, got ${describe(item)}`);
      return [];
    }
    const { id, type, behavior } = item;
    if (typeof id !== 'string' || id === '') report(at, 'required property "id" is missing');
    if (!(typeof type === 'string' && (SLA_TYPES as readonly string[]).includes(type))) {
      report([...at, 'type'], `must be one of ${SLA_TYPES.join(', ')}, got ${describe(type)}`);
      return [];
    }
    if (!(typeof behavior === 'string' && (SLA_BEHAVIORS as readonly string[]).includes(behavior))) {
      report(behavior === undefined ? at : [...at, 'behavior'], `"behavior" must be one of ${SLA_BEHAVIORS.join(', ')}`);
    }
    for (const key of Object.keys(item).filter((k) => !KEYS[type as SlaDefinition['type']].includes(k))) {
      report([...at, key], `unknown property "${key}" of a ${type} SLA`);
    }
    const labels = parseSlaLabels(item.labels, [...at, 'labels'], report);
    const duration = type === 'MAX_DURATION' ? parseDuration(item.duration, [...at, 'duration'], report) : undefined;
    if (type === 'MAX_DURATION' && item.duration === undefined) report(at, 'a MAX_DURATION SLA needs a "duration"');
    const assertion = item.assert;
    if (type === 'EXECUTION_ASSERTION') {
      if (typeof assertion !== 'string' || assertion === '') report(at, 'an EXECUTION_ASSERTION SLA needs an "assert" expression');
    }
    if (typeof id !== 'string' || typeof behavior !== 'string') return [];
    return [{
      id,
      type: type as SlaDefinition['type'],
      behavior: behavior as SlaDefinition['behavior'],
      ...(duration !== undefined ? { duration } : {}),
      ...(typeof assertion === 'string' ? { assert: assertion } : {}),
      ...(labels !== undefined && Object.keys(labels).length > 0 ? { labels } : {}),
    }];
  });
};

/** An SLA's `labels`: a mapping or a list of `{ key, value }`; no `system.*` label (Kestra's @NoSystemLabelValidation). */
const parseSlaLabels = (raw: JsonValue | undefined, at: (string | number)[], report: Report): Record<string, string> | undefined => {
  if (raw === undefined || raw === null) return undefined;
  const entries: [string, JsonValue, (string | number)[]][] = Array.isArray(raw)
    ? raw.flatMap((item, i): [string, JsonValue, (string | number)[]][] =>
        isRecord(item) && typeof item.key === 'string' && item.value !== undefined
          ? [[item.key, item.value, [...at, i]]]
          : (report([...at, i], 'a label in a list must be a mapping with key and value'), []))
    : isRecord(raw)
      ? Object.entries(raw).map(([k, v]) => [k, v, [...at, k]])
      : (report(at, `must be a mapping of names to values, got ${describe(raw)}`), []);
  const labels: Record<string, string> = {};
  for (const [key, value, path] of entries) {
    if (key.startsWith('system.')) report(path, `system labels cannot be set by an SLA ("${key}")`);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') labels[key] = String(value);
    else report(path, `a label value must be a string, got ${describe(value)}`);
  }
  return labels;
};
