import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_TASK_CATALOG, parseFlow } from '@chronicle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderStorage } from '../storage/local-folder-storage.js';
import { fileReference, FileStore } from '@chronicle/use-cases';
import { storeFileInputs } from '@chronicle/use-cases';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'chronicle-file-inputs-'));
});
afterAll(async () => rm(folder, { recursive: true, force: true }));

const flow = parseFlow('id: etl\nnamespace: company.team\ninputs:\n  - { id: data, type: FILE }\n  - { id: name, type: STRING }\ntasks:\n  - { id: a, type: Log, message: x }\n', CORE_TASK_CATALOG);
const run = { namespace: 'company.team', flowId: 'etl', executionId: 'e1' };

// Kestra keeps FILE inputs under the execution (StorageContext.forInput).
describe('storeFileInputs', () => {
  it('copies an uploaded FILE input into the execution\'s inputs folder and gives its kestra:/// URI', async () => {
    const storage = new LocalFolderStorage(folder);
    const id = await new FileStore(storage, 100).put('data.csv', 'text/csv', Buffer.from('a,b\n'), 'company.team');
    const inputs = await storeFileInputs(storage, flow, run, { data: fileReference(id), name: 'chronicle:///files/not-a-file-input' });
    expect(inputs).toEqual({ data: 'kestra:///company/team/etl/executions/e1/inputs/data/data.csv', name: 'chronicle:///files/not-a-file-input' });
    expect((await storage.get(inputs.data as string)).toString()).toBe('a,b\n');
    expect(await storeFileInputs(storage, flow, run, { data: 'kestra:///company/team/etl/x.csv' })).toEqual({ data: 'kestra:///company/team/etl/x.csv' });
  });

  it('refuses a missing upload and one made for another namespace', async () => {
    const storage = new LocalFolderStorage(folder);
    await expect(storeFileInputs(storage, flow, run, { data: fileReference('00000000-0000-0000-0000-000000000000') })).rejects.toThrow('does not exist');
    const other = await new FileStore(storage, 100).put('x.csv', 'text/csv', Buffer.from('x'), 'other.team');
    await expect(storeFileInputs(storage, flow, run, { data: fileReference(other) })).rejects.toThrow('was uploaded for another namespace');
  });
});
