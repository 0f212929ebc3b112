import type { JsonObject, TaskJob } from '@chronicle/domain';
import { Scenario as CoreScenario, T } from '@chronicle/domain/testing';
import { describe, expect, it } from 'vitest';
import { TASK_CATALOG } from '../catalog.js';

/** The decider with the real LocalFiles module (its definition in the full catalog): a Scenario over TASK_CATALOG. */
class Scenario extends CoreScenario {
  constructor(yaml: string, inputs: JsonObject = {}, id = 'e', localTasks = false) {
    super(yaml, inputs, id, localTasks, {}, TASK_CATALOG);
  }
}

// Kestra: core/src/test/resources/flows/valids/working-directory.yaml, -outputs.yml, -inputs.yml and
// core/src/test/java/io/kestra/plugin/core/flow/WorkingDirectoryTest.java.
const WORKING_DIRECTORY = `id: working-directory
namespace: io.kestra.tests
inputs:
  - id: failed
    type: STRING
tasks:
  - id: worker
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: first
        type: io.kestra.plugin.core.storage.LocalFiles
        inputs:
          out/stay.txt: "{{ inputs.failed == 'true' ? ko: taskrun.id }}"
      - id: second
        type: io.kestra.plugin.core.storage.LocalFiles
        outputs:
          - out/*
      - id: disabled
        type: io.kestra.plugin.core.debug.Return
        disabled: true
    errors:
      - id: error-t1
        type: io.kestra.plugin.core.debug.Return
        format: "Error Trigger ! {{task.id}}"
  - id: 2_end
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.second.uris['out/stay.txt'] }}"
`;

const lastJob = (s: Scenario, taskId: string): TaskJob => {
  const run = s.run(taskId);
  const created = s.history.filter((e) => e.type === 'TaskRunCreated' && (e.data as { taskRunId: string }).taskRunId === run.id);
  return (created[0]!.data as { job: TaskJob }).job;
};

const complete = (s: Scenario, taskId: string, outputs: object, workingFiles?: Record<string, string>, at = 3) => {
  const run = s.run(taskId);
  s.when({ type: 'StartTaskRun', executionId: 'e', taskRunId: run.id, attempt: 1, workerId: 'w', now: T(at) });
  return s.when({ type: 'CompleteTaskRun', executionId: 'e', taskRunId: run.id, attempt: 1, outputs: outputs as never, ...(workingFiles ? { workingFiles } : {}), now: T(at + 1) });
};

describe('WorkingDirectory and LocalFiles (a folder of files shared by the tasks of one WorkingDirectory)', () => {
  it('each LocalFiles sees what the tasks before it wrote; the URI reaches the next task (WorkingDirectoryTest.success)', () => {
    const s = new Scenario(WORKING_DIRECTORY, { failed: 'false' }, 'e', true);
    s.advance();
    const first = lastJob(s, 'first');
    expect(first).toMatchObject({ type: 'storage.LocalFiles', properties: { inputs: { 'out/stay.txt': s.run('first').id } }, workingDirectory: { files: {} } });
    const uri = 'kestra:///io/kestra/tests/working-directory/executions/e/tasks/first/x/1-stay.txt';
    const events = complete(s, 'first', { uris: {} }, { 'out/stay.txt': uri });
    expect(events.find((e) => e.type === 'TaskRunSucceeded')?.data).toMatchObject({ workingFiles: { 'out/stay.txt': uri } });
    expect(lastJob(s, 'second')).toMatchObject({ properties: { outputs: ['out/*'] }, workingDirectory: { files: { 'out/stay.txt': uri } } });
    complete(s, 'second', { uris: { 'out/stay.txt': uri } }, undefined, 5);
    s.advance();
    expect(s.run('2_end').outputs).toEqual({ value: uri });
    expect(s.execution.state).toBe('SUCCESS');
    expect(s.execution.taskRuns.map((r) => r.taskId)).toEqual(['worker', 'first', 'second', '2_end']);
  });

  it('a LocalFiles whose input does not render fails, and the errors branch runs (WorkingDirectoryTest.failed)', () => {
    const s = new Scenario(WORKING_DIRECTORY, { failed: 'true' }, 'e', true);
    s.advance();
    expect(s.run('first').state).toBe('FAILED');
    s.advance();
    expect(s.execution.taskRuns.map((r) => r.taskId)).toEqual(['worker', 'first', 'error-t1']);
    expect(s.execution.state).toBe('FAILED');
  });

  it('inputFiles seed the folder; outputFiles capture what the tasks wrote as the WorkingDirectory\'s outputs', () => {
    const flow = `id: wd\nnamespace: io.kestra.tests\ntasks:\n  - id: workingDir\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    inputFiles:\n      input.txt: Hello World\n    outputFiles:\n      - output.txt\n    tasks:\n      - id: files\n        type: io.kestra.plugin.core.storage.LocalFiles\n        inputs:\n          output.txt: "{{ 'Hello' }} again"\n        outputs:\n          - input.txt\n`;
    const s = new Scenario(flow);
    s.advance();
    expect(lastJob(s, 'files')).toMatchObject({ workingDirectory: { files: { 'input.txt': 'Hello World' } }, properties: { inputs: { 'output.txt': 'Hello again' } } });
    const uri = 'kestra:///io/kestra/tests/wd/executions/e/tasks/files/x/1-output.txt';
    complete(s, 'files', { uris: { 'input.txt': 'kestra:///captured' } }, { 'output.txt': uri });
    s.advance();
    expect(s.run('workingDir').outputs).toEqual({ outputFiles: { 'output.txt': uri } });
    expect(s.execution.state).toBe('SUCCESS');
  });

  it('an outputFiles glob matching only an inputFiles text fails the WorkingDirectory with what to do', () => {
    const flow = `id: wd\nnamespace: io.kestra.tests\ntasks:\n  - id: workingDir\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    inputFiles:\n      input.txt: Hello World\n    outputFiles:\n      - "*.txt"\n    tasks:\n      - id: files\n        type: io.kestra.plugin.core.storage.LocalFiles\n`;
    const s = new Scenario(flow);
    s.advance();
    complete(s, 'files', { uris: {} });
    s.advance();
    expect(s.run('workingDir').state).toBe('FAILED');
    expect(s.run('workingDir').error).toMatch(/input\.txt.*LocalFiles/);
  });

  it('refuses cache and namespaceFiles, and a non-list outputFiles, at deploy', () => {
    expect(() => new Scenario(`id: wd\nnamespace: n\ntasks:\n  - id: w\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    cache:\n      patterns: ['a']\n    outputFiles: out.txt\n    tasks:\n      - id: f\n        type: io.kestra.plugin.core.storage.LocalFiles\n`)).toThrow(/cache[\s\S]*outputFiles/);
  });
});
