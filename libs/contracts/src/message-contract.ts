import { PoisonMessageError } from '@chronicle/messaging';
import type { z } from 'zod';

/**
 * The version a message carries when it has no `schemaVersion` field: messages written by a
 * build from before the contracts were versioned (still in flight on a topic, or held by a
 * timer) are version 1, which is the shape they have.
 */
export const UNVERSIONED_SCHEMA_VERSION = 1;

/** A message as it travels: the contract's shape plus the version it was written with. */
export type Versioned<T> = T & { readonly schemaVersion: number };

/**
 * What crosses a process boundary on one topic: the messages' name (for reasons and docs), the
 * schema version this build writes, and the parser every consumer runs. A message whose
 * version this build does not read, or that does not fit the schema, is refused with a
 * PoisonMessageError naming the topic, the version or the field: the bus puts it on
 * `<topic>.dlq` with that reason instead of handing it on.
 */
export interface MessageContract<T> {
  readonly name: string;
  readonly schemaVersion: number;
  /** The message for the bus: `message` with this build's `schemaVersion`. */
  stamp<M extends T>(message: M): Versioned<M>;
  /**
   * The message off the bus, without its `schemaVersion`; throws PoisonMessageError. A frozen
   * message (the in-process bus's) is checked once: its consumers share one frozen result.
   */
  parse(value: unknown): T;
}

/** `T` is the message's type (the domain's, or `z.infer` of the schema); the schema checks what the consumers rely on. */
export function messageContract<T extends object>(name: string, schemaVersion: number, schema: z.ZodType): MessageContract<T> {
  // A message of the in-process bus reaches every consumer group as one frozen value (see the
  // messaging lib's jsonCopy): it is checked once, and the others get the same frozen result.
  const parsedOnce = new WeakMap<object, T>();
  return {
    name,
    schemaVersion,
    stamp: <M extends T>(message: M): Versioned<M> => ({ ...message, schemaVersion }),
    parse(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PoisonMessageError(`${name}: the message is not a JSON object`);
      const shared = Object.isFrozen(value);
      const kept = shared ? parsedOnce.get(value) : undefined;
      if (kept !== undefined) return kept;
      const { schemaVersion: written = UNVERSIONED_SCHEMA_VERSION, ...body } = value as Record<string, unknown>;
      if (written !== schemaVersion) {
        throw new PoisonMessageError(`${name}: unknown schemaVersion ${JSON.stringify(written)}; this build reads version ${schemaVersion}`);
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new PoisonMessageError(`${name}${typeOf(body)}: ${describeIssues(parsed.error)}`);
      if (!shared) return parsed.data as T;
      // Shared by every consumer of the message: frozen like the value it came from.
      const result = deepFreeze(parsed.data) as T;
      parsedOnce.set(value, result);
      return result;
    },
  };
}

/** Freezes what the schema made; parts it passed through from a frozen value are frozen already (and not walked again). */
function deepFreeze(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

const typeOf = (body: Record<string, unknown>): string => (typeof body.type === 'string' ? ` ${body.type}` : '');

/** `field.path: what is wrong`, for every issue, on one line (it goes into a DLQ header). */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(message)'}: ${issue.message}`).join('; ');
}
