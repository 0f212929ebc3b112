import { convertToCommandError, type AllStreamResolvedEvent, type EventStoreDBClient, type Filter, type Position } from '@eventstore/db-client';
import convertGrpcEventModule from '@eventstore/db-client/dist/utils/convertGrpcEvent.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';

const { ReadReq } = streamsPb;
const { StreamsClient } = streamsGrpc;
const { convertGrpcEvent } = convertGrpcEventModule;
type ReadResp = InstanceType<typeof streamsPb.ReadResp>;

export interface FilteredReadRequest {
  /** Forwards reads include it; backwards reads of $all exclude it (the server's rules). */
  readonly from: Position | 'start' | 'end';
  readonly direction: 'forwards' | 'backwards';
  readonly maxCount: number;
  readonly filter: Filter;
}

/** The two protected members of the client this read goes through (see below). */
interface ClientInternals {
  GRPCStreamCreator<C, T>(client: new (...args: never[]) => C, debugName: string, creator: (grpcClient: C) => T): () => Promise<T>;
  callArguments(options: object, callOptions?: object): [never, never];
}

/**
 * A read of `$all` with a server-side filter. The protocol has it (the Read call takes a
 * filter with a count, as subscriptions do) but client 6.2.1's `readAll` always sends
 * `no_filter`. So the request is built here from the client's own generated messages, exactly
 * as its `subscribeToAll` builds a filtered one with `count` instead of `subscription`, and sent
 * on the client's channel through its stream creator: the client keeps doing its connection
 * bookkeeping (reconnect after unavailable / not leader, disposal on close). Events are
 * converted by the client's own converter, so they look like `readAll`'s.
 */
export async function readAllFiltered(client: EventStoreDBClient, request: FilteredReadRequest): Promise<AllStreamResolvedEvent[]> {
  const internals = client as unknown as ClientInternals;
  const read = buildRequest(request);
  const open = internals.GRPCStreamCreator(StreamsClient, 'readAllFiltered', (grpcClient) =>
    grpcClient.read(read, ...internals.callArguments({}, { deadline: Infinity })),
  );
  const events: AllStreamResolvedEvent[] = [];
  try {
    for await (const response of await open()) {
      if ((response as ReadResp).hasEvent()) events.push(convertGrpcEvent((response as ReadResp).getEvent()!) as AllStreamResolvedEvent);
    }
  } catch (error) {
    throw convertToCommandError(error as Error);
  }
  return events;
}

function buildRequest({ from, direction, maxCount, filter }: FilteredReadRequest): InstanceType<typeof ReadReq> {
  const all = new ReadReq.Options.AllOptions();
  if (from === 'start') all.setStart(new sharedPb.Empty());
  else if (from === 'end') all.setEnd(new sharedPb.Empty());
  else all.setPosition(new ReadReq.Options.Position().setCommitPosition(from.commit.toString(10)).setPreparePosition(from.prepare.toString(10)));

  const expression = new ReadReq.Options.FilterOptions.Expression();
  if ('prefixes' in filter) expression.setPrefixList(filter.prefixes);
  if ('regex' in filter) expression.setRegex(filter.regex);
  const filterOptions = new ReadReq.Options.FilterOptions().setCheckpointintervalmultiplier(filter.checkpointInterval);
  if (filter.filterOn === 'streamName') filterOptions.setStreamIdentifier(expression);
  else filterOptions.setEventType(expression);
  filterOptions.setCount(new sharedPb.Empty());

  const options = new ReadReq.Options()
    .setAll(all)
    .setReadDirection(direction === 'backwards' ? ReadReq.Options.ReadDirection.BACKWARDS : ReadReq.Options.ReadDirection.FORWARDS)
    .setResolveLinks(false)
    .setCount(String(maxCount))
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new sharedPb.Empty()))
    .setFilter(filterOptions);
  return new ReadReq().setOptions(options);
}
