export {
  ChronicleClient, type BulkInvalid, type BulkQuery, type BulkResult, type BulkSelection, type ChronicleClientOptions, type KvEntry, type KvValue, type ExecutionPage, type ExecutionSnapshot, type ExecutionStreamEvent, type ReplayOptions, type StartOptions } from './client.js';
export {
  ChronicleAccessError, ChronicleBadInputError, ChronicleBulkError, ChronicleConflictError, ChronicleError, ChronicleNotFoundError, toChronicleError, type ChronicleErrorCode,
} from './errors.js';
export type * from './generated/graphql.js';
