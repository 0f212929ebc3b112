import type { JsonValue } from '../shared/json.js';
import { SLA_BEHAVIORS, SLA_TYPES, type SlaDefinition } from './flow.model.js';
import { parseDuration } from './flow-control.parser.js';
import { describe, isRecord, templateError, type Report } from './flow-parsing.helpers.js';

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
    if (item.labels !== undefined && item.labels !== null && !(Array.isArray(item.labels) ? item.labels.length === 0 : isRecord(item.labels) && Object.keys(item.labels).length === 0)) {
      report([...at, 'labels'], 'SLA labels are not supported yet: Chronicle cannot add labels to a running execution; remove them');
    }
    const duration = type === 'MAX_DURATION' ? parseDuration(item.duration, [...at, 'duration'], report) : undefined;
    if (type === 'MAX_DURATION' && item.duration === undefined) report(at, 'a MAX_DURATION SLA needs a "duration"');
    const assertion = item.assert;
    if (type === 'EXECUTION_ASSERTION') {
      if (typeof assertion !== 'string' || assertion === '') report(at, 'an EXECUTION_ASSERTION SLA needs an "assert" expression');
      else {
        const error = templateError(assertion);
        if (error !== undefined) report([...at, 'assert'], `invalid expression: ${error}`);
      }
    }
    if (typeof id !== 'string' || typeof behavior !== 'string') return [];
    return [{
      id,
      type: type as SlaDefinition['type'],
      behavior: behavior as SlaDefinition['behavior'],
      ...(duration !== undefined ? { duration } : {}),
      ...(typeof assertion === 'string' ? { assert: assertion } : {}),
    }];
  });
};
