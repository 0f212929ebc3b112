/**
 * EventStoreDB's gRPC messages and service definitions, taken from the generated code that
 * ships inside `@eventstore/db-client` (the same files the client under test loads). The
 * generated code registers every message on one global protobuf namespace, so loading a
 * second copy (another package, or protoc output of our own) would clash; reusing the
 * client's copy also guarantees both sides agree on the wire format. Default imports because
 * these are CommonJS modules whose exports Node cannot list statically.
 */
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import featuresPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import featuresGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';

export const { Empty, UUID, StreamIdentifier } = sharedPb;
export const { ReadReq, ReadResp, AppendReq, AppendResp, DeleteReq, DeleteResp, TombstoneReq, TombstoneResp } = streamsPb;
export const { StreamsService } = streamsGrpc;
export const { SupportedMethods, SupportedMethod } = featuresPb;
export const { ServerFeaturesService } = featuresGrpc;

export type ReadReqMessage = InstanceType<typeof ReadReq>;
export type ReadRespMessage = InstanceType<typeof ReadResp>;
export type AppendReqMessage = InstanceType<typeof AppendReq>;
export type AppendRespMessage = InstanceType<typeof AppendResp>;
export type DeleteReqMessage = InstanceType<typeof DeleteReq> | InstanceType<typeof TombstoneReq>;
export type DeleteRespMessage = InstanceType<typeof DeleteResp> | InstanceType<typeof TombstoneResp>;
export type ReadOptions = InstanceType<typeof ReadReq.Options>;
export type FilterOptions = InstanceType<typeof ReadReq.Options.FilterOptions>;

export function streamName(identifier: InstanceType<typeof StreamIdentifier> | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

export function streamIdentifier(name: string): InstanceType<typeof StreamIdentifier> {
  return new StreamIdentifier().setStreamName(Uint8Array.from(Buffer.from(name, 'utf8')));
}

/** The client always sends ids as strings; the structured form is decoded for completeness. */
export function uuidString(uuid: InstanceType<typeof UUID> | undefined): string {
  if (!uuid) return '';
  if (!uuid.hasStructured()) return uuid.getString();
  const structured = uuid.getStructured()!;
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())), 0);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
