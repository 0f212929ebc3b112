import { randomUUID } from 'node:crypto';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { EsdbLog, StoredEvent } from './esdb-log.js';
import { ReadReq, ReadResp, streamIdentifier, streamName, UUID, type ReadOptions, type ReadReqMessage, type ReadRespMessage } from './esdb-protocol.js';

type ReadCall = ServerWritableStream<ReadReqMessage, ReadRespMessage>;

/** Default search window of a filter sent with `count` (EventStoreDB's own default is 32). */
const DEFAULT_FILTER_WINDOW = 32;

/**
 * Streams/Read: reads of one stream or of `$all` (forwards or backwards, `count` events) and
 * subscriptions (confirmation, catch-up, `caught_up`, then live), with stream-name or
 * event-type filters (prefixes or a regex) and checkpoints every `window x multiplier`
 * examined events. Boundaries follow the server: reads include their start, subscriptions
 * exclude it, a backwards `$all` read excludes its position.
 */
export async function serveRead(log: EsdbLog, call: ReadCall): Promise<void> {
  const options = call.request.getOptions();
  if (!options) throw new Error('Read without options');
  if (options.hasSubscription()) return subscribe(log, call, options);
  const filter = compileFilter(options);
  let remaining = Number(options.getCount());
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  if (options.hasStream()) {
    const stream = options.getStream()!;
    const name = streamName(stream.getStreamIdentifier());
    const events = log.stream(name);
    if (!events) {
      await send(call, new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name))));
      return;
    }
    const end = events.length;
    // Array index = revision - base (a soft-deleted stream written again does not start at 0).
    const base = Number(log.revisionBase(name));
    let i = backwards
      ? stream.hasRevision() ? Math.min(Number(stream.getRevision()) - base, end - 1) : stream.hasStart() ? 0 : end - 1
      : stream.hasRevision() ? Math.max(0, Number(stream.getRevision()) - base) : stream.hasEnd() ? end : 0;
    for (; remaining > 0 && i >= 0 && i < end && !call.cancelled; i += backwards ? -1 : 1, remaining--) await send(call, eventResp(events[i]));
    return;
  }
  const all = options.getAll()!;
  const end = log.events.length;
  const at = all.hasPosition() ? log.indexFrom(BigInt(all.getPosition()!.getCommitPosition()), false) : undefined;
  let i = backwards ? (at ?? (all.hasStart() ? 0 : end)) - 1 : (at ?? (all.hasEnd() ? end : 0));
  for (; remaining > 0 && i >= 0 && i < end && !call.cancelled; i += backwards ? -1 : 1) {
    if (filter && !filter.matches(log.events[i])) continue;
    await send(call, eventResp(log.events[i]));
    remaining--;
  }
}

async function subscribe(log: EsdbLog, call: ReadCall, options: ReadOptions): Promise<void> {
  const filter = compileFilter(options);
  let cursor: number;
  let inStream: ((e: StoredEvent) => boolean) | undefined;
  if (options.hasStream()) {
    const stream = options.getStream()!;
    const name = streamName(stream.getStreamIdentifier());
    const events = log.stream(name) ?? [];
    inStream = (e) => e.streamId === name;
    const after = stream.hasRevision() ? events[Number(stream.getRevision()) - Number(log.revisionBase(name))] : undefined;
    cursor = stream.hasEnd() ? log.events.length : after ? log.indexFrom(after.position, true) : stream.hasRevision() ? log.events.length : 0;
  } else {
    const all = options.getAll()!;
    cursor = all.hasPosition() ? log.indexFrom(BigInt(all.getPosition()!.getCommitPosition()), true) : all.hasEnd() ? log.events.length : 0;
  }
  const cancelled = new Promise<void>((resolve) => call.once('cancelled', () => resolve()));
  await send(call, new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
  let examined = 0;
  let caughtUp = false;
  while (!call.cancelled) {
    while (cursor < log.events.length && !call.cancelled) {
      const event = log.events[cursor++];
      if ((!inStream || inStream(event)) && (!filter || filter.matches(event))) await send(call, eventResp(event));
      if (filter && ++examined >= filter.checkpointEvery) {
        examined = 0;
        await send(call, new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(String(event.position)).setPreparePosition(String(event.position))));
      }
    }
    if (!caughtUp) {
      caughtUp = true;
      await send(call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
      continue;
    }
    // Registered in the same turn as the check above, so no append can slip between them.
    await Promise.race([log.nextAppend(), cancelled]);
  }
}

interface CompiledFilter {
  matches(event: StoredEvent): boolean;
  readonly checkpointEvery: number;
}

function compileFilter(options: ReadOptions): CompiledFilter | undefined {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter()!;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const test = (value: string) => (prefixes.length > 0 ? prefixes.some((p) => value.startsWith(p)) : regex ? regex.test(value) : true);
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_FILTER_WINDOW;
  return {
    matches: (event) => test(onStream ? event.streamId : event.type),
    checkpointEvery: Math.max(1, window * Math.max(1, filter.getCheckpointintervalmultiplier())),
  };
}

function eventResp(event: StoredEvent): ReadRespMessage {
  const position = String(event.position);
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(event.id))
    .setStreamIdentifier(streamIdentifier(event.streamId))
    .setStreamRevision(String(event.revision))
    .setPreparePosition(position)
    .setCommitPosition(position)
    .setCustomMetadata(event.customMetadata)
    .setData(event.data);
  recorded.getMetadataMap().set('type', event.type).set('content-type', event.contentType).set('created', String(event.created));
  return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(position));
}

/** Writes one message, waiting for the transport to drain when its buffer is full (back-pressure). */
async function send(call: ReadCall, message: ReadRespMessage): Promise<void> {
  if (call.cancelled || call.write(message)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
  });
}
