import { DLQ_HEADERS, PoisonMessageError } from './message-bus.port.js';

/**
 * Values travel as JSON text in both adapters, so the in-process bus hands consumers the same
 * copies (dates as strings, no shared references) that Kafka would.
 */
export function encodeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('a bus message value must be JSON-serialisable (got undefined or a function)');
  return text;
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
