import { parseIsoDuration } from '../execution/iso-duration.js';
import type { JsonValue } from '../shared/json.js';
import {
  CONCURRENCY_BEHAVIORS, RETRY_BEHAVIORS, RETRY_TYPES,
  type ConcurrencyLimit, type FlowOutputDefinition, type RetryBehavior, type RetryPolicy, type RetryType,
} from './flow.model.js';
import { describe, ID_PATTERN, isRecord, reportUnknownKeys, type Report } from './flow-parsing.helpers.js';
import type { Path } from './yaml-source.js';

/** Parses the control properties shared by flows and tasks (retry, timeout, concurrency, outputs). */

/** An ISO-8601 duration property; reports and returns undefined when malformed. */
export const parseDuration = (raw: JsonValue | undefined, at: Path, report: Report): string | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string' && parseIsoDuration(raw) !== undefined) return raw;
  report(at, `must be an ISO-8601 duration such as PT30S, got ${describe(raw)}`);
  return undefined;
};

export const parseBoolean = (raw: JsonValue | undefined, at: Path, report: Report): boolean | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'boolean') return raw;
  report(at, `must be true or false, got ${describe(raw)}`);
  return undefined;
};

const parseCount = (raw: JsonValue | undefined, at: Path, report: Report, min: number): number | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= min) return raw;
  report(at, `must be an integer >= ${min}, got ${describe(raw)}`);
  return undefined;
};

/** AbstractRetry's properties (core/src/main/java/io/kestra/core/models/tasks/retrys/), `maxAttempts` being an older spelling. */
const RETRY_BASE_KEYS = ['type', 'maxAttempt', 'maxAttempts', 'maxDuration', 'warningOnRetry', 'behavior'];
/** Each type's own (Constant.java, Exponential.java, Random.java). */
const RETRY_TYPE_KEYS: Readonly<Record<RetryType, readonly string[]>> = {
  constant: ['interval'],
  exponential: ['interval', 'maxInterval', 'delayFactor'],
  random: ['minInterval', 'maxInterval'],
};

/** Kestra's retry: `type` constant | exponential | random; `maxAttempt` (or `maxAttempts`) counts the first attempt. */
export const parseRetry = (raw: JsonValue | undefined, at: Path, report: Report, flowLevel: boolean): RetryPolicy | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    report(at, `must be a mapping with type, interval, maxAttempt..., got ${describe(raw)}`);
    return undefined;
  }
  const type = raw.type;
  if (!(typeof type === 'string' && (RETRY_TYPES as readonly string[]).includes(type))) {
    report([...at, 'type'], `must be one of ${RETRY_TYPES.join(', ')}`);
    return undefined;
  }
  reportUnknownKeys(raw, [...RETRY_BASE_KEYS, ...RETRY_TYPE_KEYS[type as RetryType]], at, report, `a ${type} retry`);
  const behavior = raw.behavior ?? 'RETRY_FAILED_TASK';
  if (!(typeof behavior === 'string' && (RETRY_BEHAVIORS as readonly string[]).includes(behavior))) {
    report([...at, 'behavior'], `must be one of ${RETRY_BEHAVIORS.join(', ')}`);
  }
  const attemptKey = raw.maxAttempt !== undefined ? 'maxAttempt' : 'maxAttempts';
  const maxAttempt = parseCount(raw[attemptKey], [...at, attemptKey], report, 1);
  const durations = Object.fromEntries(
    (['interval', 'maxInterval', 'minInterval', 'maxDuration'] as const)
      .map((key) => [key, parseDuration(raw[key], [...at, key], report)] as const)
      .filter(([, value]) => value !== undefined),
  ) as Pick<RetryPolicy, 'interval' | 'maxInterval' | 'minInterval' | 'maxDuration'>;
  if (type !== 'random' && durations.interval === undefined) report(at, `a ${type} retry needs an "interval"`);
  if (type === 'random' && (durations.minInterval === undefined || durations.maxInterval === undefined)) {
    report(at, 'a random retry needs "minInterval" and "maxInterval"');
  }
  if (raw[attemptKey] === undefined && raw.maxDuration === undefined) report(at, 'a retry needs "maxAttempt" or "maxDuration"');
  const delayFactor = raw.delayFactor;
  if (delayFactor !== undefined && !(typeof delayFactor === 'number' && delayFactor >= 1)) report([...at, 'delayFactor'], 'must be a number >= 1');
  return {
    type: type as RetryType,
    ...(maxAttempt !== undefined ? { maxAttempt } : {}),
    ...durations,
    ...(typeof delayFactor === 'number' ? { delayFactor } : {}),
    warningOnRetry: parseBoolean(raw.warningOnRetry, [...at, 'warningOnRetry'], report) ?? false,
    behavior: behavior as RetryBehavior,
  };
};

export const parseConcurrency = (raw: JsonValue | undefined, report: Report): ConcurrencyLimit | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) {
    report(['concurrency'], `must be a mapping with limit and behavior, got ${describe(raw)}`);
    return undefined;
  }
  // Concurrency.java's limit and behavior, and Chronicle's `key`.
  reportUnknownKeys(raw, ['limit', 'behavior', 'key'], ['concurrency'], report, 'concurrency');
  const limit = parseCount(raw.limit, ['concurrency', 'limit'], report, 1);
  if (raw.limit === undefined) report(['concurrency'], 'required property "limit" is missing');
  const behavior = raw.behavior ?? 'QUEUE';
  if (!(typeof behavior === 'string' && (CONCURRENCY_BEHAVIORS as readonly string[]).includes(behavior))) {
    report(['concurrency', 'behavior'], `must be one of ${CONCURRENCY_BEHAVIORS.join(', ')}`);
    return undefined;
  }
  if (raw.key !== undefined && typeof raw.key !== 'string') report(['concurrency', 'key'], 'must be a string (an expression)');
  if (limit === undefined) return undefined;
  return { limit, behavior: behavior as ConcurrencyLimit['behavior'], ...(typeof raw.key === 'string' ? { key: raw.key } : {}) };
};

/** Flow `outputs`: a list of `{ id, type, value }`. */
export const parseFlowOutputs = (raw: JsonValue | undefined, report: Report): FlowOutputDefinition[] | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    report(['outputs'], `must be a list of { id, type, value }, got ${describe(raw)}`);
    return undefined;
  }
  const seen = new Set<string>();
  return raw.flatMap((item, i): FlowOutputDefinition[] => {
    if (!isRecord(item) || typeof item.id !== 'string' || !ID_PATTERN.test(item.id)) {
      report(['outputs', i], 'an output must be a mapping with an id, a type and a value');
      return [];
    }
    // Output.java (core/src/main/java/io/kestra/core/models/flows/Output.java); displayName is for UIs;
    // `required` (Kestra >= 0.22, default true): an optional output may be left out.
    reportUnknownKeys(item, ['id', 'type', 'value', 'description', 'displayName', 'required'], ['outputs', i], report, 'a flow output');
    if (item.required !== undefined && item.required !== null && typeof item.required !== 'boolean') report(['outputs', i, 'required'], `must be true or false, got ${describe(item.required)}`);
    if (seen.has(item.id)) report(['outputs', i, 'id'], `duplicate output id "${item.id}"`);
    seen.add(item.id);
    if (item.value === undefined) report(['outputs', i], 'required property "value" is missing');
    const type = typeof item.type === 'string' ? item.type : 'STRING';
    return [{
      id: item.id, type, value: item.value ?? null,
      ...(typeof item.description === 'string' ? { description: item.description } : {}),
      ...(item.required === false ? { required: false } : {}),
    }];
  });
};

export const parsePriority = (raw: JsonValue | undefined, report: Report): number | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  report(['priority'], `must be an integer, got ${describe(raw)}`);
  return undefined;
};
