import type { JsonValue } from '@chronicle/domain';

/** Kestra's KVType. */
export type KvType = 'STRING' | 'NUMBER' | 'BOOLEAN' | 'DATETIME' | 'DATE' | 'DURATION' | 'JSON';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Kestra's `TypedValue { type, value }` of a stored value (KVType.from). The store keeps JSON, so
 * an instant or a date written by `kv.Set` with `kvType: DATETIME | DATE` (an ISO text) reads back
 * as DATETIME or DATE; a DURATION is stored as seconds (as Kestra's Ion does) and reads back as a NUMBER.
 */
export function kvTypedValue(value: JsonValue): { type: KvType; value: JsonValue } {
  if (value === null) return { type: 'STRING', value };
  if (typeof value === 'string') return { type: INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? 'DATETIME' : DATE.test(value) ? 'DATE' : 'STRING', value };
  if (typeof value === 'number') return { type: 'NUMBER', value };
  if (typeof value === 'boolean') return { type: 'BOOLEAN', value };
  return { type: 'JSON', value };
}
