import * as grpc from '@grpc/grpc-js';
import type { EsdbLog, Expectation } from './esdb-log.js';
import { DeleteResp, TombstoneResp, streamName, type DeleteReqMessage, type DeleteRespMessage } from './esdb-protocol.js';

/**
 * Streams/Delete (soft) and Streams/Tombstone (hard), both unary: options with the stream and
 * the expected revision. Answers `position` (where the delete was recorded), a
 * `wrong-expected-version` error, or `stream-deleted` for a stream already tombstoned, the
 * way EventStoreDB reports them (gRPC status + `exception` metadata the client converts).
 */
export function serveDelete(
  log: EsdbLog,
  kind: 'delete' | 'tombstone',
  request: DeleteReqMessage,
  callback: grpc.sendUnaryData<DeleteRespMessage>,
  streamDeleted: (streamId: string) => grpc.ServerErrorResponse,
): void {
  const options = request.getOptions();
  if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: `${kind} without options` } as grpc.ServerErrorResponse);
  const streamId = streamName(options.getStreamIdentifier());
  const expected: Expectation = options.hasRevision()
    ? BigInt(options.getRevision())
    : options.hasNoStream() ? 'no_stream' : options.hasStreamExists() ? 'stream_exists' : 'any';
  const outcome = kind === 'delete' ? log.softDelete(streamId, expected) : log.tombstone(streamId, expected);
  if (!outcome.ok) {
    if (outcome.deleted) return callback(streamDeleted(streamId));
    const metadata = new grpc.Metadata();
    metadata.set('exception', 'wrong-expected-version');
    metadata.set('stream-name', streamId);
    metadata.set('expected-version', typeof expected === 'bigint' ? String(expected) : '-1');
    if (outcome.current !== undefined) metadata.set('actual-version', String(outcome.current));
    const details = `WrongExpectedVersion: stream ${streamId}, expected ${String(expected)}`;
    return callback(Object.assign(new Error(details), { code: grpc.status.FAILED_PRECONDITION, details, metadata }));
  }
  const Resp = kind === 'delete' ? DeleteResp : TombstoneResp;
  const position = new Resp.Position().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position));
  callback(null, new Resp().setPosition(position));
}
