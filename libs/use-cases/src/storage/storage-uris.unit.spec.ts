import { describe, expect, it } from 'vitest';
import { InvalidStorageUriError } from './internal-storage.port.js';
import { executionPrefix, extensionOf, inputFileUri, namespaceFileUri, storagePathOf, taskFileUri } from './storage-uris.js';

// Kestra's layout: core/src/main/java/io/kestra/core/storages/StorageContext.java
describe('internal-storage URIs', () => {
  const run = { namespace: 'company.team', flowId: 'etl', executionId: '7s1' };
  it('follows Kestra\'s layout for executions, task runs, inputs and namespace files', () => {
    expect(executionPrefix(run)).toBe('kestra:///company/team/etl/executions/7s1/');
    expect(taskFileUri({ ...run, taskId: 'concat', taskRunId: '7s1.3' }, 'out.txt')).toBe('kestra:///company/team/etl/executions/7s1/tasks/concat/7s1.3/out.txt');
    expect(inputFileUri(run, 'file', 'data.csv')).toBe('kestra:///company/team/etl/executions/7s1/inputs/file/data.csv');
    expect(namespaceFileUri('company.team', '/scripts/a.py')).toBe('kestra:///company/team/_files/scripts/a.py');
    // Kestra slugifies flow and task ids in paths (Slugify.of).
    expect(taskFileUri({ ...run, flowId: 'My_Flow', taskId: 'Split__Rows', taskRunId: '7s1.3' }, 'f')).toBe('kestra:///company/team/my-flow/executions/7s1/tasks/split-rows/7s1.3/f');
  });
  it('refuses other schemes and relative segments', () => {
    expect(storagePathOf('kestra:///a/b/')).toBe('/a/b/');
    for (const bad of ['s3://x/y', 'kestra://a/b', 'kestra:///a/../b', 'kestra:///a//b', 'kestra:///./a']) {
      expect(() => storagePathOf(bad)).toThrow(InvalidStorageUriError);
    }
    expect(() => namespaceFileUri('n', 'a/../../b')).toThrow(InvalidStorageUriError);
  });
  it('reads an extension from the file name only', () => {
    expect(extensionOf('kestra:///a.b/c/d.csv')).toBe('.csv');
    expect(extensionOf('kestra:///a.b/c/d')).toBe('');
  });
});
