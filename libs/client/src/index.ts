export { ChronicleClient, type ChronicleClientOptions, type ExecutionPage, type ExecutionSnapshot, type ExecutionStreamEvent, type ReplayOptions, type StartOptions } from './client.js';
export {
  ChronicleAccessError, ChronicleBadInputError, ChronicleConflictError, ChronicleError, ChronicleNotFoundError, toChronicleError, type ChronicleErrorCode,
} from './errors.js';
export type * from './generated/graphql.js';
