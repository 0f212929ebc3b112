import { newId } from '@chronicle/runtime';
import { CodedError } from '@chronicle/errors';
import type { InternalStorage } from '../storage/internal-storage.port.js';
import { KESTRA_SCHEME } from '../storage/storage-uris.js';

/** What an uploaded file is known by outside a flow: a reference served back by `GET /api/v1/files/<id>`. */
export const fileReference = (id: string) => `chronicle:///files/${id}`;
export const fileIdOf = (reference: string): string | undefined => /^chronicle:\/\/\/files\/([0-9a-f-]{36})$/i.exec(reference)?.[1];

export interface StoredFile {
  readonly id: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly data: Buffer;
  /** The namespace the file was uploaded for: who may read it; null when none was given. */
  readonly namespace: string | null;
}

export class FileTooLargeError extends CodedError {
  constructor(name: string, size: number, limit: number) {
    super('FILE_TOO_LARGE', `file ${name} is ${size} bytes; the limit is ${limit} bytes`);
  }
}

/** Where uploads known by id live in the internal storage (outside every namespace: `_` is not a namespace character). */
export const UPLOADS_PREFIX = `${KESTRA_SCHEME}/_uploads/`;

/** The path segment of "no namespace" (a namespace starts with a letter or digit). */
const NO_NAMESPACE = '-';

/**
 * Files uploaded by id (`chronicle:///files/<id>`), kept in the internal storage under
 * `kestra:///_uploads/<id>/<namespace or ->/<name>`: one store for every file, whichever adapter the
 * process uses. Never listed, only fetched by id.
 */
export class FileStore {
  constructor(private readonly storage: InternalStorage, readonly maxBytes: number) {}

  /** `namespace`: whose readers may fetch it; without one, only tokens valid in every namespace may. */
  async put(name: string, contentType: string, data: Buffer, namespace?: string): Promise<string> {
    if (data.length > this.maxBytes) throw new FileTooLargeError(name, data.length, this.maxBytes);
    const id = newId();
    await this.storage.put(`${UPLOADS_PREFIX}${id}/${namespace ? safeName(namespace) : NO_NAMESPACE}/${safeName(name)}`, data, contentType);
    return id;
  }

  async get(id: string): Promise<StoredFile | undefined> {
    const [info] = await this.storage.list(`${UPLOADS_PREFIX}${id}/`);
    if (!info) return undefined;
    const data = await this.storage.get(info.uri);
    const [namespace, name] = info.uri.slice(`${UPLOADS_PREFIX}${id}/`.length).split('/');
    return { id, name: name ?? namespace!, contentType: info.contentType, size: data.length, data, namespace: name === undefined || namespace === NO_NAMESPACE ? null : namespace! };
  }
}

const safeName = (name: string): string => {
  const cleaned = name.replace(/[/\\\0]/g, '_');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'file' : cleaned;
};
