import { DLQ_HEADERS, PoisonMessageError } from './message-bus.port.js';

/**
 * Values travel as JSON text over Kafka; the in-process bus hands consumers what that text would
 * parse to (see jsonCopy): dates as strings, no reference to what the publisher holds.
 */
export function encodeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('a bus message value must be JSON-serialisable (got undefined or a function)');
  return text;
}

/** Nesting past which jsonCopy leaves the value to JSON (which names a cycle, or copies it all the same). */
const MAX_COPY_DEPTH = 200;

/** A value the copy does not handle itself: JSON decides what it becomes (or throws). */
class NotPlain extends Error {}

/**
 * `JSON.parse(encodeValue(value))`, deeply frozen, made without the text: the in-process bus
 * copies a message once, here, and every consumer group shares that copy. The copy is the
 * round trip's to the byte (numbers, key order, dropped `undefined` properties, `null` for what an
 * array cannot hold, -0 as 0); anything JSON would treat otherwise (a `toJSON` such as a Date's,
 * a class instance, a bigint, a cycle, a `__proto__` key) goes through the text instead. Frozen,
 * so a consumer cannot change what another sees: an attempt throws (modules are strict).
 */
export function jsonCopy(value: unknown): unknown {
  try {
    const copy = copyPlain(value, 0);
    if (copy === undefined) return JSON.parse(encodeValue(value)) as unknown; // throws the same TypeError
    return copy;
  } catch (error) {
    if (!(error instanceof NotPlain)) throw error;
    return deepFreeze(JSON.parse(encodeValue(value)) as unknown);
  }
}

/** The copy of a JSON-plain value, frozen; undefined for what JSON leaves out (undefined, a function, a symbol). */
function copyPlain(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object': {
      if (value === null) return null;
      if (depth > MAX_COPY_DEPTH) throw new NotPlain();
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) throw new NotPlain();
        const out: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const item = copyPlain(value[i], depth + 1);
          out[i] = item === undefined ? null : item;
        }
        return Object.freeze(out);
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if ((prototype !== Object.prototype && prototype !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') throw new NotPlain();
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key === '__proto__') throw new NotPlain();
        const item = copyPlain((value as Record<string, unknown>)[key], depth + 1);
        if (item !== undefined) out[key] = item;
      }
      return Object.freeze(out);
    }
    default:
      throw new NotPlain(); // bigint: JSON throws its own TypeError
  }
}

function deepFreeze(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

export type Decoded = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

export function decodeValue(raw: string | null): Decoded {
  if (raw === null) return { ok: false, reason: 'invalid JSON: the message has no value' };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
}

export interface SourcePosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** The original headers plus the DLQ headers naming why and where the message failed. */
export function deadLetterHeaders(
  original: Readonly<Record<string, string>>,
  reason: string,
  source: SourcePosition,
  failedAt: Date,
): Record<string, string> {
  return {
    ...original,
    [DLQ_HEADERS.reason]: reason,
    [DLQ_HEADERS.sourceTopic]: source.topic,
    [DLQ_HEADERS.sourcePartition]: String(source.partition),
    [DLQ_HEADERS.sourceOffset]: source.offset,
    [DLQ_HEADERS.failedAt]: failedAt.toISOString(),
  };
}

export function poisonReason(error: PoisonMessageError): string {
  return `rejected by handler: ${error.reason}`;
}
