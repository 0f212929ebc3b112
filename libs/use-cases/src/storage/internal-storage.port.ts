import { CodedError } from '@chronicle/errors';

/**
 * Kestra's internal storage: every file a flow produces or receives (task outputs, FILE inputs,
 * namespace files) lives under a `kestra:///...` URI, readable by every service (tasks, the
 * expression host, the API). One port, two adapters: a folder (standalone) and chunked rows in
 * Postgres (distributed: every process reads the same files). Layout: storage-uris.ts.
 *
 * Stable interface (other helpers build on it, e.g. ForEachItem): add members, never change these.
 */
export interface InternalStorage {
  /** Stores `data` at `uri` (replacing what was there) and returns the URI. */
  put(uri: string, data: Buffer, contentType?: string): Promise<string>;
  /** The whole content; throws `StorageFileNotFoundError` when absent. */
  get(uri: string): Promise<Buffer>;
  /** Size and type, or undefined when absent. */
  stat(uri: string): Promise<StoredObjectInfo | undefined>;
  /** True when something was deleted. */
  delete(uri: string): Promise<boolean>;
  /** Deletes every file under the folder `prefix` (a missing final `/` is implied) and returns their URIs. */
  deleteByPrefix(prefix: string): Promise<string[]>;
  /** Files under the folder `prefix` (recursive; a missing final `/` is implied), sorted by URI. */
  list(prefix: string): Promise<StoredObjectInfo[]>;
}

export interface StoredObjectInfo {
  readonly uri: string;
  readonly size: number;
  readonly contentType: string;
}

export class StorageFileNotFoundError extends CodedError {
  constructor(readonly uri: string) {
    super('FILE_NOT_FOUND', `file ${uri} does not exist in the internal storage`);
  }
}

export class InvalidStorageUriError extends CodedError {
  constructor(uri: string, reason: string) {
    super('STORAGE_URI_INVALID', `${JSON.stringify(uri)} is not an internal-storage URI: ${reason} (expected kestra:///<path>)`);
  }
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
