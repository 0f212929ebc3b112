import type { FileStore } from '@chronicle/use-cases';
import { BadUserInputError } from '../errors/api-errors.js';
import { CodedError } from '@chronicle/errors';

const REFERENCE = /^chronicle:\/\/\/files\/([0-9a-f-]{36})$/i;

/** The stored file a `chronicle:///files/<id>` reference names, if it belongs to `namespace`. */
export async function queryFile(store: FileStore, path: string | undefined, namespace: string) {
  const id = path === undefined ? undefined : REFERENCE.exec(path)?.[1];
  if (!id) throw new BadUserInputError(`query parameter path must be a file reference chronicle:///files/<id> (got "${path ?? ''}")`, { parameter: 'path' });
  const file = await store.get(id);
  // A file of another namespace does not exist for this execution.
  if (!file || file.namespace !== namespace) throw new CodedError('FILE_NOT_FOUND', `file ${path} does not exist in namespace ${namespace}`);
  return file;
}
