import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchemaSdl } from './schema-sdl.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../../../schema.graphql', import.meta.url));

describe('schema.graphql', () => {
  it('is exactly what the code declares (run `npm run schema` after changing the API)', async () => {
    const generated = await buildSchemaSdl();
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed, 'schema.graphql is out of date: run `npm run schema` and commit it').toBe(generated);
  });

  it('keeps every name of the contract (CONTRACT.md)', () => {
    const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const fields = (type: string) => Object.keys((schema.getType(type) as unknown as { getFields(): object }).getFields());
    expect(fields('Query')).toEqual(expect.arrayContaining(['flow', 'flows', 'execution', 'executions', 'executionHistory', 'executionAt', 'logs']));
    expect(fields('Mutation')).toEqual(expect.arrayContaining([
      'deployFlow', 'createExecution', 'killExecution', 'pauseExecution', 'resumeExecution', 'restartExecution', 'replayExecution',
    ]));
    expect(fields('Subscription')).toEqual(expect.arrayContaining(['executionUpdated', 'executionEvents', 'executionLogs', 'executionsChanged']));
    expect(fields('Execution')).toEqual(expect.arrayContaining([
      'id', 'namespace', 'flowId', 'flowRevision', 'state', 'stateHistory', 'inputs', 'outputs', 'labels', 'trigger', 'taskRuns', 'originalId',
      'parentId', 'startDate', 'endDate',
    ]));
    expect(fields('TaskRun')).toEqual(expect.arrayContaining(['id', 'taskId', 'parentTaskRunId', 'value', 'state', 'attempts', 'outputs', 'startDate', 'endDate']));
    expect(fields('Flow')).toEqual(expect.arrayContaining(['namespace', 'id', 'revision', 'source', 'inputs', 'tasks', 'triggers']));
    expect(fields('ExecutionConnection')).toEqual(expect.arrayContaining(['edges', 'pageInfo', 'totalCount']));
    const states = (schema.getType('State') as unknown as { getValues(): { name: string }[] }).getValues().map((v) => v.name);
    expect(states).toEqual(expect.arrayContaining(['CREATED', 'QUEUED', 'RUNNING', 'PAUSED', 'SUCCESS', 'WARNING', 'FAILED', 'KILLING', 'KILLED', 'RESTARTED', 'CANCELLED', 'RETRYING', 'RETRIED']));
  });
});
