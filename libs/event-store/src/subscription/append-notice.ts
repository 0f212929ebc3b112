import type { EventFilter } from '../event-store.port.js';

/**
 * What a committed append tells the subscriptions that wake on it (Postgres: the NOTIFY payload):
 * its last position, and, when known, the categories of its streams (a stream id up to and
 * including its first '-', or the whole id without one) and its event types. A subscription that
 * learns from it that it cannot want the append does not read the log for it (see `concerns`).
 */
export interface AppendNotice {
  readonly lastPosition: bigint;
  readonly streamCategories?: readonly string[];
  readonly eventTypes?: readonly string[];
  /** The appending store's own name for itself (PostgresEventStore: its appends it hands over itself). */
  readonly writer?: string;
}

/**
 * The NOTIFY payload: a bare position (what writers before notices sent) or
 * `{"p":"<last position>","s":[categories],"t":[types],"w":"<writer>"}`. Anything else is no notice at all, and
 * then every subscription reads, as it always did.
 */
export function parseAppendNotice(payload: string | undefined): AppendNotice | undefined {
  if (!payload) return undefined;
  if (/^\d+$/.test(payload)) return { lastPosition: BigInt(payload) };
  try {
    const parsed = JSON.parse(payload) as { p?: unknown; s?: unknown; t?: unknown; w?: unknown };
    if (typeof parsed.p !== 'string' || !/^\d+$/.test(parsed.p)) return undefined;
    const strings = (v: unknown): readonly string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);
    const streamCategories = strings(parsed.s);
    const eventTypes = strings(parsed.t);
    const writer = typeof parsed.w === 'string' ? { writer: parsed.w } : {};
    return { lastPosition: BigInt(parsed.p), ...(streamCategories ? { streamCategories } : {}), ...(eventTypes ? { eventTypes } : {}), ...writer };
  } catch {
    return undefined;
  }
}

/**
 * Whether a subscription at `last` (everything up to it delivered or looked at) with `filter` may
 * want the append: false only when that is certain. An append at or below `last` was in a read
 * already: positions are committed in order (see postgres-schema.ts), so the snapshot that saw
 * `last` saw every committed position below it. Otherwise the append may hold a wanted event
 * unless none of its stream categories can start a stream the filter's prefixes take, or none
 * of its types is one the filter takes. Skipping is safe because the events not read stay in the
 * log: the next read after `last` scans them with the filter, which drops them.
 */
export function concerns(notice: AppendNotice, last: bigint | undefined, filter: EventFilter | undefined): boolean {
  if (last !== undefined && notice.lastPosition <= last) return false;
  const prefixes = filter?.streamPrefixes;
  if (prefixes && prefixes.length > 0 && notice.streamCategories) {
    // A stream of category C starts with C: it may start with p when one of them starts with the other.
    const categories = notice.streamCategories;
    if (!categories.some((c) => prefixes.some((p) => c.startsWith(p) || p.startsWith(c)))) return false;
  }
  const types = filter?.eventTypes;
  if (types && types.length > 0 && notice.eventTypes && !notice.eventTypes.some((t) => types.includes(t))) return false;
  return true;
}

/** The category of a stream id, as the notice carries it. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash + 1);
}
