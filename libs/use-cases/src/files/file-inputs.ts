import type { FlowDefinition } from '@chronicle/domain';
import { CodedError } from '@chronicle/errors';
import type { InternalStorage } from '../storage/internal-storage.port.js';
import { inputFileUri, type ExecutionRef } from '../storage/storage-uris.js';
import { fileIdOf, FileStore } from './file-store.js';

export class FileInputError extends CodedError {
  constructor(message: string) {
    super('FILE_INPUT_INVALID', message);
  }
}

/**
 * A FILE input given as an upload reference (`chronicle:///files/<id>`, what the REST start and
 * the UI upload give) becomes, as in Kestra, a file of the execution:
 * `kestra:///<ns>/<flow>/executions/<id>/inputs/<input>/<file>`, so that `read(inputs.x)` and the
 * storage tasks reach it and it goes with the execution. A file uploaded for another namespace is
 * refused. Other values (a `kestra:///` URI already) are left as they are.
 */
export async function storeFileInputs(
  storage: InternalStorage | undefined, flow: FlowDefinition, execution: ExecutionRef, inputs: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  if (!storage) return { ...inputs };
  const out: Record<string, unknown> = { ...inputs };
  const uploads = new FileStore(storage, Number.MAX_SAFE_INTEGER);
  for (const input of flow.inputs ?? []) {
    const value = inputs[input.id];
    if (input.type !== 'FILE' || typeof value !== 'string') continue;
    const id = fileIdOf(value);
    if (id === undefined) continue;
    const file = await uploads.get(id);
    if (!file) throw new FileInputError(`input ${input.id}: file ${value} does not exist`);
    if (file.namespace !== null && file.namespace !== execution.namespace) throw new FileInputError(`input ${input.id}: file ${value} was uploaded for another namespace`);
    out[input.id] = await storage.put(inputFileUri(execution, input.id, file.name), file.data, file.contentType);
  }
  return out;
}
