import type { JsonObject, JsonValue, propertyChecks } from '@chronicle/domain';

/** Checks Request and Script share: a timeout as ISO-8601 or milliseconds, a bounded number, a mapping. */
type Check = propertyChecks.Check;

const ISO_DURATION = /^P(?:\d+(?:\.\d+)?D)?(?:T(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/i;
const isMap = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export const map: Check = (v, path) => (isMap(v) ? [] : [{ path, message: 'must be a mapping of names to values' }]);
export const durationOrMs: Check = (v, path) =>
  (typeof v === 'number' && v >= 0) || (typeof v === 'string' && ISO_DURATION.test(v) && v.length > 2)
    ? []
    : [{ path, message: 'must be an ISO-8601 duration such as PT10S (or milliseconds)' }];
export const between = (min: number, max: number): Check => (v, path) =>
  typeof v === 'number' && v >= min && v <= max ? [] : [{ path, message: `must be a number from ${min} to ${max}` }];
