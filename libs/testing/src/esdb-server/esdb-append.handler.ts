import type { ServerReadableStream, sendUnaryData } from '@grpc/grpc-js';
import type { EsdbLog, Expectation, ProposedEvent } from './esdb-log.js';
import { AppendResp, Empty, streamName, uuidString, type AppendReqMessage, type AppendRespMessage } from './esdb-protocol.js';

type AppendCall = ServerReadableStream<AppendReqMessage, AppendRespMessage>;

/**
 * Streams/Append (client streaming): the options message (stream and expected revision)
 * then one proposed message per event. The expectation is checked and the events written
 * in one synchronous step when the client ends its side, so the append is atomic.
 * `beforeWrite` may answer with an error instead (fault injection by the test server).
 */
export function serveAppend(
  log: EsdbLog,
  call: AppendCall,
  callback: sendUnaryData<AppendRespMessage>,
  beforeWrite: (streamId: string) => Error | undefined,
  streamDeleted: (streamId: string) => Error,
): void {
  let streamId = '';
  let expected: Expectation = 'any';
  const proposed: ProposedEvent[] = [];
  call.on('data', (request: AppendReqMessage) => {
    if (request.hasOptions()) {
      const options = request.getOptions()!;
      streamId = streamName(options.getStreamIdentifier());
      expected = options.hasRevision() ? BigInt(options.getRevision()) : options.hasNoStream() ? 'no_stream' : options.hasStreamExists() ? 'stream_exists' : 'any';
    } else if (request.hasProposedMessage()) {
      const message = request.getProposedMessage()!;
      const metadata = message.getMetadataMap();
      proposed.push({
        id: uuidString(message.getId()),
        type: metadata.get('type') ?? '',
        contentType: metadata.get('content-type') ?? 'application/octet-stream',
        data: message.getData_asU8(),
        customMetadata: message.getCustomMetadata_asU8(),
      });
    }
  });
  call.on('error', () => undefined); // the client went away: nothing is written
  call.on('end', () => {
    const fault = beforeWrite(streamId);
    if (fault) return callback(fault);
    const outcome = log.append(streamId, expected, proposed);
    if (!outcome.ok && outcome.deleted) return callback(streamDeleted(streamId));
    const response = new AppendResp();
    if (outcome.ok) {
      const position = new AppendResp.Position().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position));
      response.setSuccess(new AppendResp.Success().setCurrentRevision(String(outcome.revision)).setPosition(position));
    } else if (!outcome.deleted) {
      const wrong = new AppendResp.WrongExpectedVersion();
      if (outcome.current === undefined) wrong.setCurrentNoStream(new Empty());
      else wrong.setCurrentRevision(String(outcome.current));
      if (typeof expected === 'bigint') wrong.setExpectedRevision(String(expected));
      else if (expected === 'no_stream') wrong.setExpectedNoStream(new Empty());
      else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
      else wrong.setExpectedAny(new Empty());
      response.setWrongExpectedVersion(wrong);
    }
    callback(null, response);
  });
}
