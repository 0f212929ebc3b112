import type { OutputAssertion } from './corpus.js';
import type { SourceCase } from './kestra-source.js';

/**
 * Kestra's test flows (core/src/test/resources/flows/valids/ at the mirror's commit, Dec 2024) that
 * are not in ../shared/kestra-corpus, with what Kestra's Java tests assert about each. `java` names
 * the test (paths under Kestra's repository); an expectation not asserted there says so in `notes`.
 * Timing in Kestra's tests (Await durations) is not enforced.
 */
const CORE = 'core/src/test/java/io/kestra';
const JDBC = 'jdbc/src/test/java/io/kestra/jdbc/runner/JdbcRunnerTest.java';
const RETRY = 'jdbc/src/test/java/io/kestra/jdbc/runner/JdbcRunnerRetryTest.java';
const INVALIDS = 'core/src/test/resources/flows/invalids/';
const TESTS = 'core/src/test/resources/flows/tests/';

/** Kestra's invalid flows: each refused at deploy with an error holding Kestra's own words (and the property). */
const invalidFlows = (flows: ReadonlyArray<readonly [file: string, java: string, contains: readonly string[]]>): SourceCase[] =>
  flows.map(([file, java, contains]) => ({
    name: `invalids/${file.replace(/\.ya?ml$/, '')}`, flow: `${INVALIDS}${file}`, java,
    refused: { contains, reason: "one of Kestra's invalid flows: its validation refuses it, and so does Chronicle's at deploy" },
  }));

/** ForEachItemCaseTest's file: 102 lines, each a number left-padded to 20 characters. */
const paddedLines = (n: number) => Array.from({ length: n }, (_, i) => String(i).padStart(20)).join('\n') + '\n';

/** Kestra's refusal for task types only its test classpath has (io.kestra.core.tasks.test.*, ...). */
const testPlugin = (type: string) => ({
  contains: type,
  reason: `\`${type}\` is a task of Kestra's test classpath, not of its core plugin: Chronicle refuses unknown task types at deploy`,
});

/** InputsTest.inputs (core/src/test/java/io/kestra/core/runners/InputsTest.java); `file` is uploaded. */
const KESTRA_INPUTS = {
  string: 'myString', enum: 'ENUM_VALUE', int: '42', float: '42.42', bool: 'false', instant: '2019-10-06T18:27:49Z', date: '2019-10-06', time: '18:27:49',
  duration: 'PT5M6S', json: '{"a": "b"}', uri: 'https://www.google.com', 'nested.string': 'a string', 'nested.more.int': '123', 'nested.bool': 'true',
  validatedString: 'A123', validatedInt: '12', validatedDate: '2023-01-02', validatedDateTime: '2023-01-01T00:00:10Z', validatedDuration: 'PT15S',
  validatedFloat: '0.42', validatedTime: '11:27:49', secret: 'secret', array: '[1, 2, 3]', yaml: 'some: property\nalist:\n- of\n- values',
};

export const SOURCE_CASES: readonly SourceCase[] = [
  // ---- flowables: Dag, Parallel, ForEach / EachSequential / EachParallel, If, Switch ----
  { name: 'dag', flow: 'dag.yaml', java: `${CORE}/plugin/core/flow/DagTest.java#dag`, expected: { state: 'SUCCESS', taskRunCount: 7 } },
  { name: 'parallel-nested', flow: 'parallel-nested.yaml', java: `${CORE}/plugin/core/flow/ParallelTest.java#parallelNested`, expected: { state: 'SUCCESS', taskRunCount: 11 } },
  {
    name: 'each-object', flow: 'each-object.yaml', java: `${CORE}/plugin/core/flow/EachSequentialTest.java#object`,
    expected: { state: 'SUCCESS', taskRunCount: 8, outputs: [{ target: 'taskRunAt', index: 6, path: 'value', op: 'contains', expected: 'json > JSON > ["my-complex"]' }] },
  },
  {
    name: 'each-object-in-list', flow: 'each-object-in-list.yaml', java: `${CORE}/plugin/core/flow/EachSequentialTest.java#objectInList`,
    expected: { state: 'SUCCESS', taskRunCount: 8, outputs: [{ target: 'taskRunAt', index: 6, path: 'value', op: 'contains', expected: 'json > JSON > ["my-complex"]' }] },
  },
  { name: 'each-parallel', flow: 'each-parallel.yaml', java: `${CORE}/plugin/core/flow/EachParallelTest.java#parallel`, expected: { state: 'SUCCESS', taskRunCount: 8 } },
  { name: 'each-parallel-Integer', flow: 'each-parallel-Integer.yml', java: `${CORE}/plugin/core/flow/EachParallelTest.java#parallelInteger`, expected: { state: 'SUCCESS' } },
  {
    name: 'each-parallel-subflow-notfound', flow: 'each-parallel-subflow-notfound.yml', java: `${JDBC}#eachParallelWithSubflowMissing`,
    expected: { state: 'FAILED', taskRuns: [{ taskId: '1_each', state: 'FAILED' }] },
  },
  { name: 'foreach-non-concurrent', flow: 'foreach-non-concurrent.yaml', java: `${CORE}/plugin/core/flow/ForEachTest.java#nonConcurrent`, expected: { state: 'SUCCESS', taskRunCount: 7 } },
  { name: 'foreach-concurrent', flow: 'foreach-concurrent.yaml', java: `${CORE}/plugin/core/flow/ForEachTest.java#concurrent`, expected: { state: 'SUCCESS', taskRunCount: 7 } },
  { name: 'foreach-concurrent-no-limit', flow: 'foreach-concurrent-no-limit.yaml', java: `${CORE}/plugin/core/flow/ForEachTest.java#concurrentNoLimit`, expected: { state: 'SUCCESS', taskRunCount: 7 } },
  {
    name: 'if-without-else/true', flow: 'if-without-else.yaml', java: `${CORE}/plugin/core/flow/IfTest.java#ifWithoutElse`, inputs: { param: true },
    expected: { state: 'SUCCESS', taskRunCount: 2, taskRuns: [{ taskId: 'when-true', state: 'SUCCESS' }] },
  },
  {
    name: 'if-without-else/false', flow: 'if-without-else.yaml', java: `${CORE}/plugin/core/flow/IfTest.java#ifWithoutElse`, inputs: { param: false },
    expected: { state: 'SUCCESS', taskRunCount: 1, taskRuns: [{ taskId: 'when-true', count: 0 }] },
  },
  { name: 'switch-impossible', flow: 'switch-impossible.yaml', java: `${CORE}/plugin/core/flow/SwitchTest.java#switchImpossible`, inputs: { string: 'impossible' }, expected: { state: 'FAILED' } },
  {
    name: 'flowable-with-parent-fail', flow: 'flowable-with-parent-fail.yaml', java: `${CORE}/plugin/core/flow/BadFlowableTest.java#flowableWithParentFail`,
    refused: {
      contains: 'syntax error',
      reason: "the If condition nests a `{% for %}` tag inside `{{ }}`, which is not Pebble: Kestra deploys it and fails the If at run time (FAILED, 5 task runs); Chronicle refuses expressions that do not parse at deploy, naming the property and line",
    },
  },
  { name: 'disable-simple', flow: 'disable-simple.yaml', java: `${CORE}/core/runners/DisabledTest.java#simple`, expected: { state: 'SUCCESS', taskRunCount: 2 }, notes: 'state not asserted by Kestra (t1, t3 are Logs)' },
  { name: 'disable-error', flow: 'disable-error.yaml', java: `${CORE}/core/runners/DisabledTest.java#error`, expected: { state: 'FAILED', taskRunCount: 3 }, notes: 'state not asserted by Kestra (the Fail task)' },
  {
    name: 'disable-flowable', flow: 'disable-flowable.yaml', java: `${CORE}/core/runners/DisabledTest.java#flowable`, expected: { state: 'FAILED', taskRunCount: 10 },
    notes: "state not asserted by Kestra: a Switch's children carry no value (FlowableUtils.resolveTasks), so Kestra's strict `{{taskrun.value}}` fails 4-switch-case-1 (RunVariables puts `value` only when set)",
  },

  // ---- WaitFor ----
  { name: 'waitfor', flow: 'waitfor.yaml', java: `${CORE}/plugin/core/flow/WaitForCaseTest.java#waitfor`, expected: { state: 'SUCCESS', outputs: [{ target: 'taskRunAt', index: 0, op: 'notNull' }] } },
  { name: 'waitfor-max-iterations', flow: 'waitfor-max-iterations.yaml', java: `${CORE}/plugin/core/flow/WaitForCaseTest.java#waitforMaxIterations`, expected: { state: 'FAILED' } },
  { name: 'waitfor-max-duration', flow: 'waitfor-max-duration.yaml', java: `${CORE}/plugin/core/flow/WaitForCaseTest.java#waitforMaxDuration`, expected: { state: 'FAILED' } },
  { name: 'waitfor-no-success', flow: 'waitfor-no-success.yaml', java: `${CORE}/plugin/core/flow/WaitForCaseTest.java#waitforNoSuccess`, expected: { state: 'SUCCESS' } },
  {
    name: 'waitfor-multiple-tasks', flow: 'waitfor-multiple-tasks.yaml', java: `${CORE}/plugin/core/flow/WaitForCaseTest.java#waitforMultipleTasks`,
    expected: { state: 'SUCCESS', outputs: [{ target: 'taskRunAt', index: -1, path: 'values.count', op: 'equals', expected: '4' }] },
  },
  {
    name: 'waitfor-multiple-tasks-failed', flow: 'waitfor-multiple-tasks-failed.yaml', java: `${CORE}/plugin/core/flow/WaitForCaseTest.java#waitforMultipleTasksFailed`,
    expected: { state: 'FAILED', taskRuns: [{ taskId: 'fail', attempts: 1 }] },
    notes: 'Kestra asserts the last task run (fail) has 1 attempt',
  },

  // ---- WorkingDirectory ----
  {
    name: 'working-directory-taskrun', flow: 'working-directory-taskrun.yml', java: `${CORE}/plugin/core/flow/WorkingDirectoryTest.java#taskrun`,
    expected: { state: 'SUCCESS', taskRunCount: 3, outputs: [{ target: 'taskRun', taskId: 'log-taskrun', values: ['1'], path: 'value', op: 'contains', expected: '1' }] },
  },
  {
    name: 'working-directory-taskrun-nested', flow: 'working-directory-taskrun-nested.yml', java: `${CORE}/plugin/core/flow/WorkingDirectoryTest.java#taskrunNested`,
    expected: { state: 'SUCCESS', taskRunCount: 6, outputs: [{ target: 'taskRun', taskId: 'log-workerparent', values: ['1'], path: 'value', op: 'contains', expected: '{"taskrun":{"value":"1"}}' }] },
  },
  {
    name: 'working-directory/success', flow: 'working-directory.yaml', java: `${CORE}/plugin/core/flow/WorkingDirectoryTest.java#success`, inputs: { failed: 'false' },
    expected: { state: 'SUCCESS', taskRunCount: 4, outputs: [{ target: 'taskRunAt', index: 3, path: 'value', op: 'startsWith', expected: 'kestra://' }] },
  },
  {
    name: 'working-directory/failed', flow: 'working-directory.yaml', java: `${CORE}/plugin/core/flow/WorkingDirectoryTest.java#failed`, inputs: { failed: 'true' },
    expected: { state: 'FAILED', taskRunCount: 3, taskRuns: [{ taskId: 'error-t1', count: 1 }] },
  },
  {
    name: 'working-directory-each', flow: 'working-directory-each.yaml', java: `${CORE}/plugin/core/flow/WorkingDirectoryTest.java#each`,
    expected: { state: 'SUCCESS', taskRunCount: 8, outputs: [{ target: 'taskRun', taskId: '2_end', path: 'value', op: 'startsWith', expected: 'kestra://' }] },
  },
  {
    name: 'working-directory-outputs', flow: 'working-directory-outputs.yml', java: `${CORE}/plugin/core/flow/WorkingDirectoryTest.java#outputFiles`,
    expected: { state: 'SUCCESS', taskRunCount: 2, outputs: [{ target: 'taskRunAt', index: 0, path: 'outputFiles', op: 'notNull' }] },
    notes: "Kestra also reads the output file back (Hello World); the outputFiles map holding a kestra:// URI is checked here",
  },
  {
    name: 'working-directory-inputs', flow: 'working-directory-inputs.yml', java: `${CORE}/plugin/core/flow/WorkingDirectoryTest.java#inputFiles`,
    expected: { state: 'SUCCESS', taskRunCount: 2, outputs: [{ target: 'taskRunAt', index: 1, path: ['uris', 'input.txt'], op: 'matches', expected: 'input\\.txt$' }] },
  },

  // ---- ForEachItem (a FILE input uploaded as Kestra's test does) ----
  {
    name: 'for-each-item', flow: 'for-each-item.yaml', java: `${CORE}/plugin/core/flow/ForEachItemCaseTest.java#forEachItem`, requires: ['for-each-item-subflow.yaml'],
    inputs: { batch: 4 }, inputsMode: 'typed', files: { file: paddedLines(102) },
    expected: {
      state: 'SUCCESS', taskRunCount: 4,
      taskRuns: [{ taskId: 'each_items', listIndex: 2, attempts: 1, lastAttemptState: 'SUCCESS' }],
      outputs: [
        { target: 'taskRunAt', index: 2, path: 'numberOfBatches', op: 'equals', expected: 26 },
        { target: 'taskRunAt', index: 2, path: 'iterations.CREATED', op: 'equals', expected: 0 },
        { target: 'taskRunAt', index: 2, path: 'iterations.RUNNING', op: 'equals', expected: 0 },
        { target: 'taskRunAt', index: 2, path: 'iterations.SUCCESS', op: 'equals', expected: 26 },
      ],
    },
    related: [{ flowId: 'for-each-item-subflow', count: 26, states: Array(26).fill('SUCCESS'), taskRunCount: 1 }],
  },
  {
    name: 'for-each-item/empty', flow: 'for-each-item.yaml', java: `${CORE}/plugin/core/flow/ForEachItemCaseTest.java#forEachItemEmptyItems`, requires: ['for-each-item-subflow.yaml'],
    inputs: { batch: 4 }, inputsMode: 'typed', files: { file: '' },
    expected: { state: 'SUCCESS', taskRunCount: 4, outputs: [{ target: 'taskRunAt', index: 2, op: 'isNull' }] },
  },
  {
    name: 'for-each-item-no-wait', flow: 'for-each-item-no-wait.yaml', java: `${CORE}/plugin/core/flow/ForEachItemCaseTest.java#forEachItemNoWait`, requires: ['for-each-item-subflow.yaml'],
    inputsMode: 'typed', files: { file: paddedLines(102) },
    expected: {
      state: 'SUCCESS', taskRunCount: 4,
      outputs: [
        { target: 'taskRunAt', index: 2, path: 'numberOfBatches', op: 'equals', expected: 26 },
        { target: 'taskRunAt', index: 2, path: 'iterations.CREATED', op: 'isNull' },
        { target: 'taskRunAt', index: 2, path: 'iterations.RUNNING', op: 'equals', expected: 0 },
        { target: 'taskRunAt', index: 2, path: 'iterations.SUCCESS', op: 'equals', expected: 26 },
      ],
    },
  },
  {
    name: 'for-each-item-failed', flow: 'for-each-item-failed.yaml', java: `${CORE}/plugin/core/flow/ForEachItemCaseTest.java#forEachItemFailed`, requires: ['for-each-item-subflow-failed.yaml'],
    inputsMode: 'typed', files: { file: paddedLines(102) },
    expected: {
      state: 'FAILED', taskRunCount: 3,
      taskRuns: [{ taskId: 'each_items', listIndex: 2, attempts: 1, lastAttemptState: 'FAILED' }],
      outputs: [
        { target: 'taskRunAt', index: 2, path: 'numberOfBatches', op: 'equals', expected: 26 },
        { target: 'taskRunAt', index: 2, path: 'iterations.CREATED', op: 'equals', expected: 0 },
        { target: 'taskRunAt', index: 2, path: 'iterations.RUNNING', op: 'equals', expected: 0 },
        { target: 'taskRunAt', index: 2, path: 'iterations.FAILED', op: 'equals', expected: 26 },
      ],
    },
  },
  {
    name: 'for-each-item-outputs', flow: 'for-each-item-outputs.yaml', java: `${CORE}/plugin/core/flow/ForEachItemCaseTest.java#forEachItemWithSubflowOutputs`, requires: ['for-each-item-outputs-subflow.yaml'],
    inputsMode: 'typed', files: { file: paddedLines(102) },
    expected: {
      state: 'SUCCESS', taskRunCount: 5,
      outputs: [
        { target: 'taskRunAt', index: 2, path: 'numberOfBatches', op: 'equals', expected: 26 },
        { target: 'taskRunAt', index: 3, path: 'subflowOutputs', op: 'startsWith', expected: 'kestra://' },
      ],
    },
  },
  {
    name: 'task-allow-failure-executable-foreachitem', flow: 'task-allow-failure-executable-foreachitem.yml', java: `${CORE}/core/runners/TaskWithAllowFailureTest.java#executableTask_ForEachItem`,
    requires: ['for-each-item-subflow-failed.yaml'], inputsMode: 'typed', files: { file: paddedLines(10) },
    expected: { state: 'WARNING', taskRunCount: 4 },
  },
  {
    name: 'task-allow-warning-executable-foreachitem', flow: 'task-allow-warning-executable-foreachitem.yml', java: `${CORE}/core/runners/TaskWithAllowWarningTest.java#executableTask_ForEachItem`,
    requires: ['for-each-item-subflow-failed.yaml'], inputsMode: 'typed', files: { file: paddedLines(10) },
    expected: { state: 'SUCCESS', taskRunCount: 4 },
  },

  // ---- Subflow ----
  {
    name: 'subflow-parent', flow: 'subflow-parent.yaml', java: `${CORE}/plugin/core/flow/CorrelationIdTest.java#shouldHaveCorrelationId`,
    requires: ['subflow-grand-child.yaml', 'subflow-child.yaml'],
    expected: { state: 'SUCCESS', child: { flowId: 'subflow-child', state: 'SUCCESS' }, outputs: [{ target: 'childExecution', path: 'labels', op: 'contains', expected: { key: 'system.correlationId', value: '<parent execution id>' } }] },
  },
  {
    name: 'task-flow-dynamic', flow: 'task-flow-dynamic.yaml', java: `${CORE}/core/models/hierarchies/FlowGraphTest.java#dynamicIdSubflow`,
    requires: ['switch.yaml'], inputs: { namespace: 'io.kestra.tests', flowId: 'switch', string: 'FIRST' }, inputsMode: 'typed',
    expected: { state: 'FAILED', taskRunCount: 1, taskRuns: [{ taskId: 'launch', state: 'FAILED' }] },
    notes: "Kestra asserts the graph of the execution, not its state; its runOne puts the raw map { namespace, flowId } on the execution, "
      + "which no API start can do: through an API (Kestra's FlowInputOutput.readExecutionInputs resolves the declared inputs only, and "
      + "`string` is required) `namespace` and `flowId` are dropped, so the strict `{{inputs.namespace}}` fails the Subflow, as here",
  },
  { name: 'task-allow-failure-executable-flow', flow: 'task-allow-failure-executable-flow.yml', java: `${CORE}/core/runners/TaskWithAllowFailureTest.java#executableTask_Flow`, requires: ['for-each-item-subflow-failed.yaml'], expected: { state: 'WARNING', taskRunCount: 2 } },
  { name: 'task-allow-warning-executable-flow', flow: 'task-allow-warning-executable-flow.yml', java: `${CORE}/core/runners/TaskWithAllowWarningTest.java#executableTask_Flow`, requires: ['for-each-item-subflow-failed.yaml'], expected: { state: 'SUCCESS', taskRunCount: 2 } },
  { name: 'retry-subflow', flow: 'retry-subflow.yaml', java: `${RETRY}#retrySubflow`, requires: ['failed-first.yaml'], expected: { state: 'FAILED', taskRuns: [{ taskId: 'subflow', listIndex: 0, attempts: 3 }] } },

  // ---- execution.* tasks ----
  {
    name: 'labels-update-task', flow: 'labels-update-task.yml', java: `${CORE}/plugin/core/flow/RuntimeLabelsTest.java#update`,
    inputs: { labelsJson: '{"keyFromJson": "valueFromJson"}', labelsMapKey: 'keyFromMap', labelsMapValue: 'valueFromMap', labelsListKey: 'keyFromList', labelsListValue: 'valueFromList' },
    labels: { keyFromExecution: 'valueFromExecution', overriddenExecutionLabelKey: 'executionValueThatWillGetOverridden' },
    expected: {
      state: 'SUCCESS', taskRunCount: 4,
      outputs: [{
        target: 'execution', path: 'labels', op: 'hasItems',
        expected: [
          { key: 'system.correlationId', value: '<parent execution id>' },
          { key: 'flowLabelKey', value: 'flowLabelValue' },
          { key: 'overriddenFlowLabelKey', value: 'io.kestra.tests.labels-update-task' },
          { key: 'keyFromJson', value: 'valueFromJson' },
          { key: 'keyFromMap', value: 'valueFromMap' },
          { key: 'keyFromList', value: 'valueFromList' },
          { key: 'keyFromExecution', value: 'valueFromExecution' },
          { key: 'overriddenExecutionLabelKey', value: '<task run id of override-labels>' },
        ],
      }, { target: 'execution', path: 'labels', op: 'sizeIs', expected: 8 }],
    },
  },
  {
    name: 'npe-labels-update-task', flow: 'npe-labels-update-task.yml', java: `${CORE}/plugin/core/flow/RuntimeLabelsTest.java#noNpeOnNullPreviousExecutionLabels`,
    expected: { state: 'SUCCESS', taskRunCount: 1, outputs: [{ target: 'execution', path: 'labels', op: 'contains', expected: { key: 'someLabel', value: '<task run id of labels>' } }] },
  },
  {
    name: 'primitive-labels-flow', flow: 'primitive-labels-flow.yml', java: `${CORE}/plugin/core/flow/RuntimeLabelsTest.java#primitiveTypeLabels`,
    inputs: { intLabel: 42, boolLabel: true, floatLabel: 3.14 }, labels: { existingLabel: 'someValue' },
    expected: {
      state: 'SUCCESS', taskRunCount: 1,
      outputs: [{
        target: 'execution', path: 'labels', op: 'hasItems',
        expected: [
          { key: 'system.correlationId', value: '<parent execution id>' },
          { key: 'intValue', value: '42' }, { key: 'boolValue', value: 'true' }, { key: 'floatValue', value: '3.14' },
          { key: 'taskRunId', value: '<task run id of update-labels>' }, { key: 'existingLabel', value: 'someValue' },
        ],
      }, { target: 'execution', path: 'labels', op: 'sizeIs', expected: 6 }],
    },
  },
  {
    name: 'primitive-labels-flow/override', flow: 'primitive-labels-flow.yml', java: `${CORE}/plugin/core/flow/RuntimeLabelsTest.java#primitiveTypeLabelsOverrideExistingLabels (Kestra >= 0.22's test of this flow)`,
    inputs: { intLabel: 42, boolLabel: true, floatLabel: 3.14 }, labels: { intValue: '1', boolValue: 'false', floatValue: '4.2f' },
    expected: {
      state: 'SUCCESS', taskRunCount: 1,
      outputs: [{
        target: 'execution', path: 'labels', op: 'hasItems',
        expected: [
          { key: 'system.correlationId', value: '<parent execution id>' },
          { key: 'intValue', value: '42' }, { key: 'boolValue', value: 'true' }, { key: 'floatValue', value: '3.14' },
          { key: 'taskRunId', value: '<task run id of update-labels>' },
        ],
      }, { target: 'execution', path: 'labels', op: 'sizeIs', expected: 5 }],
    },
    notes: 'the Labels task overrides the labels the execution started with, keeping one label per key',
  },

  // ---- runIf, allowFailure, allowWarning, disabled ----
  {
    name: 'task-runif', flow: 'task-runif.yml', java: `${CORE}/core/runners/TaskWithRunIfTest.java#runnableTask`,
    expected: { state: 'FAILED', taskRunCount: 4, taskRuns: [{ taskId: 'executed', state: 'SUCCESS' }, { taskId: 'notexecuted', state: 'SKIPPED' }, { taskId: 'willfailedtheflow', state: 'FAILED' }] },
  },
  { name: 'task-allow-warning-runnable', flow: 'task-allow-warning-runnable.yml', java: `${CORE}/core/runners/TaskWithAllowWarningTest.java#runnableTask`, expected: { state: 'SUCCESS', taskRunCount: 2, taskRuns: [{ taskId: 'fail', attempts: 3 }] } },
  { name: 'task-allow-warning-flowable', flow: 'task-allow-warning-flowable.yml', java: `${CORE}/core/runners/TaskWithAllowWarningTest.java#flowableTask`, expected: { state: 'SUCCESS', taskRunCount: 3 } },

  // ---- retry ----
  { name: 'retry-success-first-attempt', flow: 'retry-success-first-attempt.yaml', java: `${RETRY}#retrySuccessAtFirstAttempt`, expected: { state: 'SUCCESS', taskRunCount: 1, taskRuns: [{ taskId: 'not-retry-and-no-warning', listIndex: 0, attempts: 1 }] } },
  { name: 'retry-random', flow: 'retry-random.yaml', java: `${RETRY}#retryRandom`, expected: { state: 'FAILED', taskRunCount: 1, taskRuns: [{ taskId: 'failed', listIndex: 0, attempts: 3 }] } },
  { name: 'retry-expo', flow: 'retry-expo.yaml', java: `${RETRY}#retryExpo`, expected: { state: 'FAILED', taskRunCount: 1, taskRuns: [{ taskId: 'failed', listIndex: 0, attempts: 3 }] } },
  { name: 'retry-and-fail', flow: 'retry-fail.yaml', java: `${RETRY}#retryFail`, expected: { state: 'FAILED', taskRunCount: 2, taskRuns: [{ taskId: 'keepFailingWithRetry', listIndex: 0, attempts: 3 }] } },
  { name: 'retry-failed-task-duration', flow: 'retry-failed-task-duration.yml', java: `${RETRY}#retryFailedTaskDuration`, expected: { state: 'FAILED', taskRuns: [{ taskId: 'fail', listIndex: 0, attempts: 3 }] } },
  { name: 'retry-failed-task-attempts', flow: 'retry-failed-task-attempts.yml', java: `${RETRY}#retryFailedTaskAttempts`, expected: { state: 'FAILED', taskRuns: [{ taskId: 'fail', listIndex: 0, attempts: 4 }] } },
  { name: 'retry-failed-flow-duration', flow: 'retry-failed-flow-duration.yml', java: `${RETRY}#retryFailedFlowDuration`, expected: { state: 'FAILED', taskRuns: [{ taskId: 'fail', listIndex: 0, attempts: 3 }] } },
  { name: 'retry-flowable-child', flow: 'retry-flowable-child.yaml', java: `${RETRY}#retryFlowableChild`, expected: { state: 'FAILED', taskRuns: [{ taskId: 'child', listIndex: 1, attempts: 3 }] } },
  { name: 'retry-flowable-nested-child', flow: 'retry-flowable-nested-child.yaml', java: `${RETRY}#retryFlowableNestedChild`, expected: { state: 'FAILED', taskRuns: [{ taskId: 'child', listIndex: 2, attempts: 3 }] } },
  { name: 'retry-flowable-parallel', flow: 'retry-flowable-parallel.yaml', java: `${RETRY}#retryFlowableParallel`, expected: { state: 'FAILED', taskRuns: [{ taskId: 'child', listIndex: 1, minAttempts: 2 }, { taskId: 'child', listIndex: 2, minAttempts: 2 }] } },
  {
    name: 'retry-new-execution-task-attempts', flow: 'retry-new-execution-task-attempts.yml', java: `${CORE}/plugin/core/flow/RetryCaseTest.java#retryNewExecutionTaskAttempts`,
    expected: { state: 'RETRIED' }, related: [{ flowId: 'retry-new-execution-task-attempts', count: 3, states: ['RETRIED', 'RETRIED', 'FAILED'] }],
  },
  {
    name: 'retry-new-execution-task-duration', flow: 'retry-new-execution-task-duration.yml', java: `${CORE}/plugin/core/flow/RetryCaseTest.java#retryNewExecutionTaskDuration`,
    rerunUnless: { kind: 'retry-chain-in-time', intervalMs: 2000, maxDurationMs: 6000, executions: 3 },
    expected: { state: 'RETRIED' }, related: [{ flowId: 'retry-new-execution-task-duration', count: 3, states: ['RETRIED', 'RETRIED', 'FAILED'] }],
  },
  {
    name: 'retry-new-execution-flow-duration', flow: 'retry-new-execution-flow-duration.yml', java: `${CORE}/plugin/core/flow/RetryCaseTest.java#retryNewExecutionFlowDuration`,
    expected: { state: 'RETRIED' }, related: [{ flowId: 'retry-new-execution-flow-duration', count: 3, states: ['RETRIED', 'RETRIED', 'FAILED'] }],
  },
  {
    name: 'retry-new-execution-flow-attempts', flow: 'retry-new-execution-flow-attempts.yml', java: `${CORE}/plugin/core/flow/RetryCaseTest.java#retryNewExecutionFlowAttempts`,
    expected: { state: 'RETRIED' }, related: [{ flowId: 'retry-new-execution-flow-attempts', count: 3, states: ['RETRIED', 'RETRIED', 'FAILED'] }],
  },

  // ---- Pause ----
  {
    name: 'pause_no_tasks', flow: 'pause_no_tasks.yaml', java: `${CORE}/plugin/core/flow/PauseTest.java#runEmptyTasks`,
    steps: [
      'Start the execution and wait until it is PAUSED with a PAUSED task run.',
      'Assert: execution state PAUSED; getTaskRunList().size() == 1; taskRunList[0] (pause) state PAUSED.',
      'Resume: set the `pause` task run to RUNNING.',
      'Wait up to 10 s for the execution to reach SUCCESS.',
    ],
    expected: { state: 'SUCCESS' },
  },
  {
    name: 'pause_on_resume', flow: 'pause_on_resume.yaml', java: `${CORE}/plugin/core/flow/PauseTest.java#runOnResume`,
    steps: [
      'Start the execution and wait until it is PAUSED with a PAUSED task run.',
      'Assert: execution state PAUSED; getTaskRunList().size() == 1; taskRunList[0] (pause) state PAUSED.',
      'Resume with the inputs {"asked":"restarted"}.',
      'Wait up to 10 s for the execution to reach SUCCESS.',
    ],
    resumeFiles: { data: 'the uploaded data' },
    expected: {
      state: 'SUCCESS',
      outputs: [
        { target: 'taskRun', taskId: 'last', path: 'values.asked', op: 'equals', expected: 'restarted' },
        { target: 'taskRun', taskId: 'last', path: 'values.data', op: 'startsWith', expected: 'kestra://' },
      ],
    },
    notes: "the resume is multipart as Kestra's test sends it (asked, and the FILE `data` as a `files` part); Kestra also reads the file back",
  },
  {
    name: 'pause_on_resume/missing-inputs', flow: 'pause_on_resume.yaml', java: `${CORE}/plugin/core/flow/PauseTest.java#runOnResumeMissingInputs`,
    steps: [
      'Start the execution and wait until it is PAUSED with a PAUSED task run.',
      'Resume with no inputs; it is refused with an error containing "asked".',
      'Assert: execution state PAUSED; getTaskRunList().size() == 1; taskRunList[0] (pause) state PAUSED.',
      'Resume with the inputs {"asked":"later"}.',
      'Wait up to 10 s for the execution to reach SUCCESS.',
    ],
    expected: { state: 'SUCCESS', outputs: [{ target: 'taskRun', taskId: 'last', path: 'values.asked', op: 'equals', expected: 'later' }] },
    notes: "Kestra asserts the ConstraintViolationException (`Invalid input for `asked`, missing required input`); the API refuses the resume naming the input, and a resume with it then goes on",
  },
  {
    name: 'pause_on_resume_optional', flow: 'pause_on_resume_optional.yaml', java: `${CORE}/plugin/core/flow/PauseTest.java#runOnResumeOptionalInputs`,
    steps: [
      'Start the execution and wait until it is PAUSED with a PAUSED task run.',
      'Resume: set the `pause` task run to RUNNING.',
      'Wait up to 10 s for the execution to reach SUCCESS.',
    ],
    expected: { state: 'SUCCESS', outputs: [{ target: 'taskRun', taskId: 'last', path: 'values.asked', op: 'equals', expected: 'MISSING' }] },
  },
  {
    name: 'pause-delay-from-input', flow: 'pause-delay-from-input.yaml', java: `${JDBC}#pauseRunDelayFromInput -> PauseTest.Suite.runDelayFromInput`,
    steps: [
      'Start the execution and wait until PAUSED.',
      'Assert: execution PAUSED, 1 task run.',
      'Do nothing; within 5 s the execution must reach SUCCESS by itself (delay PT1S).',
      'Assert: 3 task runs; the pause task run\'s state history has exactly 1 PAUSED and 2 RUNNING entries.',
    ],
    expected: { state: 'SUCCESS', taskRunCount: 3 },
  },
  { name: 'each-parallel-pause', flow: 'each-parallel-pause.yml', java: `${JDBC}#pauseRunParallelDelay -> PauseTest.Suite.runParallelDelay`, expected: { state: 'SUCCESS', taskRunCount: 7 } },

  // ---- flow concurrency ----
  {
    name: 'flow-concurrency-fail', flow: 'flow-concurrency-fail.yml', java: `${CORE}/core/runners/FlowConcurrencyCaseTest.java#flowConcurrencyFail`, rerunUnless: { kind: 'second-created-while-first-runs' },
    steps: [
      'Start execution #1 and wait until it is RUNNING with a RUNNING task run.',
      'Start execution #2 of the same flow and wait for it to terminate.',
      'Assert: #1 is still running; #2 is FAILED.',
      'Wait up to 1 min for #1 to reach SUCCESS.',
    ],
    expected: { state: 'SUCCESS' },
  },
  {
    name: 'flow-concurrency-queue-pause', flow: 'flow-concurrency-queue-pause.yml', java: `${CORE}/core/runners/FlowConcurrencyCaseTest.java#flowConcurrencyQueuePause`, rerunUnless: { kind: 'second-created-while-first-runs' },
    steps: [
      // #1 is RUNNING only until its Pause starts (PAUSED for 1 s): wait for it to have been RUNNING.
      'Create and submit execution #1 of the same flow.',
      'Wait up to 30 s for the execution to reach RUNNING.',
      'Create and submit execution #2 of the same flow (state CREATED).',
      'Wait (<= 1 min each) for #1 SUCCESS, #2 RUNNING, #2 SUCCESS.',
      'Assert #2 state history starts CREATED, QUEUED, RUNNING.',
    ],
    expected: { state: 'SUCCESS' },
  },


  // ---- SLA ----
  { name: 'sla-max-duration-fail', flow: 'sla-max-duration-fail.yaml', java: `${CORE}/core/runners/SLATestCase.java#maxDurationSLAShouldFail`, expected: { state: 'FAILED' } },
  { name: 'sla-max-duration-ok', flow: 'sla-max-duration-ok.yaml', java: `${CORE}/core/runners/SLATestCase.java#maxDurationSLAShouldPass`, expected: { state: 'SUCCESS' } },
  { name: 'sla-execution-condition/pass', flow: 'sla-execution-condition.yaml', java: `${CORE}/core/runners/SLATestCase.java#executionConditionSLAShouldPass`, expected: { state: 'SUCCESS' } },
  { name: 'sla-execution-condition/cancel', flow: 'sla-execution-condition.yaml', java: `${CORE}/core/runners/SLATestCase.java#executionConditionSLAShouldCancel`, inputs: { string: 'CANCEL' }, expected: { state: 'CANCELLED' } },
  {
    name: 'sla-execution-condition/label', flow: 'sla-execution-condition.yaml', java: `${CORE}/core/runners/SLATestCase.java#executionConditionSLAShouldLabel`, inputs: { string: 'LABEL' },
    expected: { state: 'SUCCESS', outputs: [{ target: 'execution', path: 'labels', op: 'contains', expected: { key: 'sla', value: 'violated' } }] },
  },

  // ---- inputs, variables, expressions, outputs ----
  {
    name: 'empty-variables', flow: 'empty-variables.yml', java: `${CORE}/core/runners/EmptyVariablesTest.java#emptyVariables`,
    inputs: { emptyKey: '{ "foo": "" }', emptySubObject: '{"json":{"someEmptyObject":{}}}' }, inputsMode: 'typed',
    expected: { state: 'SUCCESS', taskRunCount: 3 },
  },
  {
    name: 'inputs/flow', flow: 'inputs.yaml', java: `${CORE}/core/runners/InputsTest.java#inputFlow`, inputs: KESTRA_INPUTS, inputsMode: 'typed', files: { file: 'application-test.yml content' },
    expected: {
      state: 'SUCCESS', taskRunCount: 14,
      outputs: [
        { target: 'taskRun', taskId: 'file', path: 'value', op: 'matches', expected: '^kestra:///io/kestra/tests/inputs/executions/.*/inputs/file/' },
        { target: 'taskRun', taskId: 'secret', path: 'value', op: 'equals', expected: '******' },
        { target: 'taskRun', taskId: 'optional', path: 'value', op: 'equals', expected: '' },
      ],
      taskRuns: [{ taskId: 'secret', state: 'SUCCESS' }],
    },
    notes: "Kestra shows the `secret` task's output (the decrypted SECRET input) as `secret`; Chronicle's API shows a SECRET input's value to nobody, wherever a task copied it (README, SECRET inputs), so the output reads as the mask",
  },
  {
    name: 'inputs/empty-json', flow: 'inputs.yaml', java: `${CORE}/core/runners/InputsTest.java#inputEmptyJsonFlow`, inputs: { ...KESTRA_INPUTS, json: '{}' }, inputsMode: 'typed', files: { file: 'application-test.yml content' },
    expected: {
      state: 'SUCCESS', taskRunCount: 14,
      outputs: [{ target: 'execution', path: 'inputs.json', op: 'equals', expected: {} }, { target: 'taskRun', taskId: 'jsonOutput', path: 'value', op: 'equals', expected: '{}' }],
    },
  },
  // InputsTest's refusals: the flow's input validation throws, naming the input (Kestra: `Invalid input for `<id>`, ...`).
  ...([
    ['missingRequired', 'missing-required', { string: null }, ['string', 'required']],
    ['inputValidatedStringBadValue', 'validated-string', { validatedString: 'foo' }, ['validatedString']],
    ['inputValidatedIntegerBadValue', 'validated-int-min', { validatedInt: '9' }, ['validatedInt', '10']],
    ['inputValidatedIntegerBadValue', 'validated-int-max', { validatedInt: '21' }, ['validatedInt', '20']],
    ['inputValidatedDateBadValue', 'validated-date-min', { validatedDate: '2022-01-01' }, ['validatedDate', '2023-01-01']],
    ['inputValidatedDateBadValue', 'validated-date-max', { validatedDate: '2024-01-01' }, ['validatedDate', '2023-12-31']],
    ['inputValidatedDateTimeBadValue', 'validated-datetime-min', { validatedDateTime: '2022-01-01T00:00:00Z' }, ['validatedDateTime', '2023-01-01T00:00:00Z']],
    ['inputValidatedDateTimeBadValue', 'validated-datetime-max', { validatedDateTime: '2024-01-01T00:00:00Z' }, ['validatedDateTime', '2023-12-31T23:59:59Z']],
    ['inputValidatedDurationBadValue', 'validated-duration-min', { validatedDuration: 'PT1S' }, ['validatedDuration', 'PT10S']],
    ['inputValidatedDurationBadValue', 'validated-duration-max', { validatedDuration: 'PT30S' }, ['validatedDuration', 'PT20S']],
    ['inputValidatedFloatBadValue', 'validated-float-min', { validatedFloat: '0.01' }, ['validatedFloat', '0.1']],
    ['inputValidatedFloatBadValue', 'validated-float-max', { validatedFloat: '1.01' }, ['validatedFloat', '0.5']],
    ['inputValidatedTimeBadValue', 'validated-time-min', { validatedTime: '00:00:01' }, ['validatedTime', '01:00']],
    ['inputValidatedTimeBadValue', 'validated-time-max', { validatedTime: '14:00:00' }, ['validatedTime', '11:59:59']],
    ['inputFailed', 'bad-uri', { uri: 'http:/bla' }, ['uri', 'http:/bla']],
    ['inputEnumFailed', 'bad-enum', { enum: 'INVALID' }, ['enum', 'INVALID']],
    ['inputArrayFailed', 'bad-array', { array: '["s1", "s2"]' }, ['array', 's1']],
  ] as const).map(([method, name, bad, contains]): SourceCase => ({
    name: `inputs/${name}`, flow: 'inputs.yaml', java: `${CORE}/core/runners/InputsTest.java#${method}`,
    inputs: Object.fromEntries(Object.entries({ ...KESTRA_INPUTS, ...bad }).filter(([, v]) => v !== null)), inputsMode: 'typed', files: { file: 'application-test.yml content' },
    startRefused: { contains: ['INPUTS_INVALID', ...contains] },
  })),
  {
    name: 'inputs/all-valid', flow: 'inputs.yaml', java: `${CORE}/core/runners/InputsTest.java#allValidInputs, #allValidTypedInputs`,
    inputs: KESTRA_INPUTS, inputsMode: 'typed', files: { file: 'application-test.yml content' },
    expected: {
      state: 'SUCCESS', taskRunCount: 14,
      outputs: ([
        ['string', 'myString'], ['enum', 'ENUM_VALUE'], ['int', 42], ['float', 42.42], ['bool', false],
        ['instant', '2019-10-06T18:27:49Z'], ['instantDefaults', '2013-08-09T14:19:00Z'], ['date', '2019-10-06'], ['time', '18:27:49'],
        ['duration', 'PT5M6S'], ['json', { a: 'b' }], ['uri', 'https://www.google.com'],
        ['nested.string', 'a string'], ['nested.bool', true], ['nested.more.int', 123],
        ['validatedString', 'A123'], ['validatedInt', 12], ['validatedDate', '2023-01-02'], ['validatedDateTime', '2023-01-01T00:00:10Z'],
        ['validatedDuration', 'PT15S'], ['validatedFloat', 0.42], ['validatedTime', '11:27:49'],
        ['array', [1, 2, 3]], ['yaml', { some: 'property', alist: ['of', 'values'] }],
      ] as const).map(([input, value]): OutputAssertion => ({ target: 'execution', path: `inputs.${input}`, op: 'equals', expected: value }))
        .concat([
          { target: 'execution', path: 'inputs.file', op: 'matches', expected: '^kestra:///io/kestra/tests/inputs/executions/[^/]+/inputs/file/' },
          { target: 'execution', path: 'inputs.secret', op: 'notNull' },
        ]),
    },
    notes: "Kestra asserts the typed inputs (FlowInputOutput.readExecutionInputs) one by one; they are read here from the execution's `inputs` as the API gives them (dates, times and durations as ISO text, as Kestra's JSON writes them). "
      + 'Kestra checks the SECRET input is not given back as written (encrypted); Chronicle gives it masked',
  },
  {
    name: 'inputs/optional-absent', flow: 'inputs.yaml', java: `${CORE}/core/runners/InputsTest.java#nonRequiredNoDefaultNoValueIsNull`,
    inputs: Object.fromEntries(Object.entries(KESTRA_INPUTS).filter(([k]) => k !== 'bool')), inputsMode: 'typed', files: { file: 'application-test.yml content' },
    expected: { state: 'SUCCESS', taskRunCount: 14, outputs: [{ target: 'execution', path: 'inputs.bool', op: 'equals', expected: null }] },
    notes: 'Kestra asserts the typed inputs hold `bool` as null (an optional input given no value and no default)',
  },
  {
    name: 'input-log-secret', flow: 'input-log-secret.yaml', java: `${CORE}/core/runners/InputsTest.java#shouldNotLogSecretInput`,
    expected: { state: 'SUCCESS', taskRunCount: 1, outputs: [{ target: 'log', op: 'matches', expected: '^This is my secret: \\*+$' }] },
    notes: "Kestra masks the value with as many stars as it has characters (`********`); Chronicle's mask has a fixed length (`******`), so a reader does not learn the secret's length",
  },
  {
    name: 'return', flow: 'return.yaml', java: `${CORE}/core/runners/RunContextTest.java (runs it to SUCCESS)`,
    expected: {
      state: 'SUCCESS', taskRunCount: 3,
      outputs: [{ target: 'taskRun', taskId: 'task-id', path: 'value', op: 'equals', expected: 'task-id' }, { target: 'taskRun', taskId: 'flow-id', path: 'value', op: 'equals', expected: 'return' }],
    },
  },
  { name: 'sleep', flow: 'sleep.yml', java: `${CORE}/core/schedulers/AbstractSchedulerTest.java (its flow, run to SUCCESS)`, expected: { state: 'SUCCESS', taskRunCount: 1 } },
  {
    name: 'variables-invalid', flow: 'variables-invalid.yaml', java: `${CORE}/plugin/core/flow/VariablesTest.java#invalidVars`,
    expected: {
      state: 'FAILED', taskRunCount: 2, taskRuns: [{ taskId: 'parent-seq', listIndex: 1, state: 'FAILED' }],
      outputs: [{ target: 'log', op: 'contains', expected: 'Unable to find `inputs` used in the expression `{{inputs.invalid}}`' }],
    },
  },
  { name: 'failed-first', flow: 'failed-first.yaml', java: `${CORE}/plugin/core/flow/VariablesTest.java#failedFirst`, expected: { state: 'FAILED', taskRunCount: 1, taskRuns: [{ taskId: 't1', listIndex: 0, state: 'FAILED' }] } },
  {
    name: 'execution-start-date', flow: 'execution.yaml', java: `${JDBC}#executionDate`,
    expected: { state: 'SUCCESS', outputs: [{ target: 'taskRunAt', index: 0, path: 'value', op: 'matches', expected: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z' }] },
  },
  {
    name: 'flow-with-array-outputs', flow: 'flow-with-array-outputs.yml', java: `${CORE}/plugin/core/flow/FlowOutputTest.java#shouldGetSuccessExecutionForFlowWithArrayOutputs`,
    expected: { state: 'SUCCESS', outputs: [{ target: 'flowOutputs', op: 'sizeIs', expected: 1 }, { target: 'flowOutputs', path: 'myout', op: 'hasItems', expected: ['1rstValue', '2ndValue'] }] },
  },
  { name: 'logs', flow: 'logs.yaml', java: `${JDBC}#logs`, expected: { state: 'SUCCESS', taskRunCount: 5 }, notes: 'state not asserted by Kestra' },
  { name: 'minimal2', flow: 'minimal2.yaml', java: 'none runs it: loaded with every valid flow (LocalFlowRepositoryLoader); a flow id shared with another namespace, run to SUCCESS', expected: { state: 'SUCCESS', taskRunCount: 1 } },
  { name: 'minimal', flow: 'minimal.yaml', java: `${CORE}/core/runners/ScheduleDateCaseTest.java (runs it to SUCCESS)`, expected: { state: 'SUCCESS', taskRunCount: 1 } },

  // ---- log.Fetch, logToFile, state.*, kv() ----
  { name: 'get-log', flow: 'get-log.yaml', java: `${CORE}/core/tasks/FetchTest.java#fetch`, expected: { state: 'SUCCESS', taskRunCount: 4, outputs: [{ target: 'taskRun', taskId: 'get-log-task', path: 'size', op: 'equals', expected: 3 }] } },
  { name: 'get-log-taskid', flow: 'get-log-taskid.yaml', java: `${CORE}/core/tasks/FetchTest.java#fetchWithTaskId`, expected: { state: 'SUCCESS', taskRunCount: 4, outputs: [{ target: 'taskRun', taskId: 'get-log-task', path: 'size', op: 'equals', expected: 1 }] } },
  { name: 'get-log-executionid', flow: 'get-log-executionid.yaml', java: `${CORE}/core/tasks/FetchTest.java#fetchWithExecutionId`, expected: { state: 'SUCCESS', taskRunCount: 4, outputs: [{ target: 'taskRun', taskId: 'get-log-task', path: 'size', op: 'equals', expected: 3 }] } },
  { name: 'log-to-file', flow: 'log-to-file.yaml', java: `${CORE}/core/runners/LogToFileTest.java#task`, expected: { state: 'SUCCESS', taskRunCount: 1, taskRuns: [{ taskId: 'hello', listIndex: 0, attempts: 1 }] } },
  {
    name: 'state/each', flow: 'state.yaml', java: `${CORE}/plugin/core/flow/StateTest.java#each`, inputs: { state: 'each' },
    expected: {
      state: 'SUCCESS', taskRunCount: 17,
      outputs: [
        { target: 'taskRun', taskId: 'regetEach1', values: ['b'], path: 'data.value', op: 'equals', expected: 'null-b' },
        { target: 'taskRun', taskId: 'regetEach2', values: ['b'], path: 'data.value', op: 'equals', expected: 'null-a-b' },
      ],
    },
  },
  {
    name: 'state/create', flow: 'state.yaml', java: `${CORE}/plugin/core/flow/StateTest.java#set (first run)`, inputs: { state: 'kestra-source-state-create' },
    expected: { state: 'SUCCESS', taskRunCount: 5, outputs: [{ target: 'taskRun', taskId: 'createGet', path: 'data.value', op: 'equals', expected: 1 }] },
  },
  {
    name: 'kv/missing-key', flow: 'kv.yaml', java: `${CORE}/core/runners/pebble/functions/KvFunctionTest.java#getKeyNotFound`, inputs: { errorOnMissing: true },
    expected: {
      state: 'FAILED',
      taskRuns: [{ taskId: 'get', listIndex: 0, state: 'SUCCESS' }, { taskId: 'getWithArgs', listIndex: 1, state: 'FAILED' }],
      outputs: [
        { target: 'taskRunAt', index: 0, path: 'value', op: 'equals', expected: '' },
        { target: 'log', op: 'contains', expected: "The key 'my-key' does not exist in the namespace 'io.kestra.tests'." },
      ],
    },
    notes: 'the final state is not asserted by Kestra; a FAILED task run ends the execution FAILED',
  },

  // ---- Flow triggers ----
  {
    name: 'trigger-flow', flow: 'trigger-flow.yaml', java: `${CORE}/core/runners/FlowTriggerCaseTest.java#trigger`,
    requires: ['trigger-flow-listener.yaml', 'trigger-flow-listener-no-inputs.yaml', 'trigger-flow-listener-namespace-condition.yaml', 'trigger-flow-listener-invalid.yaml'],
    expected: { state: 'SUCCESS', taskRunCount: 1 },
    related: [
      {
        namespace: 'io.kestra.tests.trigger', flowId: 'trigger-flow-listener', count: 1, states: ['SUCCESS'], taskRunCount: 1,
        outputs: [
          { target: 'taskRunAt', index: 0, path: 'value', op: 'equals', expected: 'childs: from parents: <parent execution id>' },
          { target: 'execution', path: 'trigger.variables.executionId', op: 'equals', expected: '<parent execution id>' },
          { target: 'execution', path: 'trigger.variables.namespace', op: 'equals', expected: 'io.kestra.tests.trigger' },
          { target: 'execution', path: 'trigger.variables.flowId', op: 'equals', expected: 'trigger-flow' },
        ],
      },
      { namespace: 'io.kestra.tests.trigger', flowId: 'trigger-flow-listener-no-inputs', count: 1, states: ['SUCCESS'], taskRunCount: 1 },
      {
        namespace: 'io.kestra.tests.trigger', flowId: 'trigger-flow-listener-namespace-condition', count: 1, states: ['SUCCESS'], taskRunCount: 1,
        outputs: [{ target: 'execution', path: 'trigger.variables.namespace', op: 'equals', expected: 'io.kestra.tests.trigger' }],
      },
      // Its `inputs` read `{{ outputs.invalid.value }}`, which trigger-flow has not: Kestra's Flow trigger logs the error and starts nothing.
      { namespace: 'io.kestra.tests.trigger', flowId: 'trigger-flow-listener-invalid', count: 0 },
    ],
    notes: 'JdbcRunnerTest#flowTrigger loads trigger-flow-listener-namespace-condition too (it fires for any SUCCESS execution of the namespace: the one trigger-flow\'s execution started is checked); trigger-flow-listener-invalid is loaded with every valid flow by Kestra\'s other tests',
  },
  {
    name: 'trigger-flow-with-pause', flow: 'trigger-flow-with-pause.yaml', java: `${CORE}/core/runners/FlowTriggerCaseTest.java#triggerWithPause`,
    requires: ['trigger-flow-listener-with-pause.yaml'],
    expected: { state: 'SUCCESS', taskRunCount: 3 },
    related: [{ namespace: 'io.kestra.tests.trigger.pause', flowId: 'trigger-flow-listener-with-pause', count: 4, states: ['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS'] }],
    notes: 'Kestra also asserts the four listeners\' `status` outputs are RUNNING, PAUSED, RUNNING, SUCCESS in order; checked as a set here',
  },

  {
    name: 'trigger-multiplecondition', flow: 'trigger-multiplecondition-flow-b.yaml', java: `${CORE}/core/runners/MultipleConditionTriggerCaseTest.java#trigger`,
    requires: ['trigger-multiplecondition-listener.yaml'], runFirst: [{ flow: 'trigger-multiplecondition-flow-a.yaml', state: 'SUCCESS' }],
    expected: { state: 'SUCCESS', taskRunCount: 1 },
    related: [{
      namespace: 'io.kestra.tests.trigger', flowId: 'trigger-multiplecondition-listener', count: 1, states: ['SUCCESS'], taskRunCount: 1,
      outputs: [
        { target: 'execution', path: 'trigger.variables.executionId', op: 'equals', expected: '<parent execution id>' },
        { target: 'execution', path: 'trigger.variables.namespace', op: 'equals', expected: 'io.kestra.tests.trigger' },
        { target: 'execution', path: 'trigger.variables.flowId', op: 'equals', expected: 'trigger-multiplecondition-flow-b' },
      ],
    }],
  },
  {
    name: 'flow-trigger-preconditions', flow: 'flow-trigger-preconditions-flow-b.yaml', java: `${CORE}/core/runners/MultipleConditionTriggerCaseTest.java#flowTriggerPreconditions`,
    requires: ['flow-trigger-preconditions-flow-listen.yaml'],
    runFirst: [{ flow: 'flow-trigger-preconditions-flow-a.yaml', state: 'SUCCESS' }, { flow: 'flow-trigger-preconditions-flow-a.yaml', state: 'SUCCESS' }],
    expected: { state: 'SUCCESS', taskRunCount: 1 },
    related: [{ namespace: 'io.kestra.tests.trigger.preconditions', flowId: 'flow-trigger-preconditions-flow-listen', count: 1, states: ['SUCCESS'], taskRunCount: 1 }],
  },

  // ---- trigger.Toggle ----
  {
    name: 'trigger-toggle', flow: 'trigger-toggle.yaml', java: `${CORE}/plugin/core/trigger/ToggleTest.java#toggle`,
    triggers: { before: { schedule: false }, after: { schedule: true } },
    expected: { state: 'SUCCESS', taskRunCount: 1 },
  },

  // ---- restart (Kestra's ExecutionService.restart: the failed task runs again in the same execution) ----
  {
    name: 'restart_last_failed', flow: 'restart_last_failed.yaml', java: `${CORE}/core/runners/RestartCaseTest.java#restartFailedThenSuccess`,
    steps: [
      'Start execution #1 of the same flow and wait for it to terminate.',
      'Assert: execution state FAILED; getTaskRunList().size() == 3; taskRunList[2] (c) state FAILED.',
      'Restart the execution and wait for it to end again.',
      'Assert: execution state SUCCESS; getTaskRunList().size() == 4.',
    ],
    expected: {
      state: 'SUCCESS', taskRunCount: 4,
      taskRuns: [{ taskId: 'a', state: 'SUCCESS' }, { taskId: 'b', state: 'SUCCESS' }, { taskId: 'c', listIndex: 2, state: 'SUCCESS', attempts: 2 }, { taskId: 'd', state: 'SUCCESS' }],
    },
  },
  {
    name: 'restart_always_failed', flow: 'restart_always_failed.yaml', java: `${CORE}/core/runners/RestartCaseTest.java#restartFailedThenFailureWithGlobalErrors`,
    steps: [
      'Start execution #1 of the same flow and wait for it to terminate.',
      'Assert: execution state FAILED; getTaskRunList().size() == 2; taskRunList[0] (failStep) state FAILED.',
      'Restart the execution and wait for it to end again.',
    ],
    expected: { state: 'FAILED', taskRunCount: 2, taskRuns: [{ taskId: 'failStep', listIndex: 0, attempts: 2 }] },
  },
  {
    name: 'restart_local_errors', flow: 'restart_local_errors.yaml', java: `${CORE}/core/runners/RestartCaseTest.java#restartFailedThenFailureWithLocalErrors`,
    steps: [
      'Start execution #1 of the same flow and wait for it to terminate.',
      'Assert: execution state FAILED; getTaskRunList().size() == 5; taskRunList[3] (failStep) state FAILED.',
      'Restart the execution and wait for it to end again.',
    ],
    expected: { state: 'FAILED', taskRunCount: 5, taskRuns: [{ taskId: 'failStep', attempts: 2 }] },
  },

  {
    name: 'restart_pause_last_failed', flow: 'restart_pause_last_failed.yaml', java: 'webserver/src/test/java/io/kestra/webserver/controllers/api/ExecutionControllerTest.java#restartFromLastFailedWithPause',
    steps: [
      'Start execution #1 of the same flow and wait for it to terminate.',
      'Assert: execution state FAILED; taskRunList[2] (pause) state FAILED.',
      'Restart the execution and wait for it to end again.',
      "Assert: the `pause` task run's state history has 1 PAUSED.",
    ],
    expected: {
      state: 'SUCCESS', taskRunCount: 5,
      taskRuns: [
        { taskId: 'a', listIndex: 0, state: 'SUCCESS', attempts: 1 }, { taskId: 'b', listIndex: 1, state: 'SUCCESS', attempts: 1 },
        { taskId: 'pause', listIndex: 2, state: 'SUCCESS' }, { taskId: 'c', listIndex: 3, state: 'SUCCESS', attempts: 2 }, { taskId: 'd', listIndex: 4, state: 'SUCCESS', attempts: 1 },
      ],
    },
  },
  {
    name: 'restart-each', flow: 'restart-each.yaml', java: `${CORE}/core/runners/RestartCaseTest.java#replay (first run)`, inputs: { failed: 'NONE' },
    expected: { state: 'SUCCESS', taskRunCount: 20 },
    notes: "Kestra's runner starts it without the required `failed` input (its expressions read `inputs.failed ?? 'NONE'`); the API needs it, so it is given as NONE",
  },

  {
    name: 'failed-first/restart-multiple', flow: 'failed-first.yaml', java: `${CORE}/core/runners/RestartCaseTest.java#restartMultiple`,
    steps: [
      'Start execution #1 of the same flow and wait for it to terminate.',
      'Assert: execution state FAILED; getTaskRunList().size() == 1.',
      'Restart the execution and wait for it to end again.',
      'Assert: execution state FAILED.',
      'Restart the execution and wait for it to end again.',
      'Assert: execution state FAILED; getTaskRunList().size() == 1.',
    ],
    expected: { state: 'FAILED', taskRunCount: 1, taskRuns: [{ taskId: 't1', state: 'FAILED', attempts: 3 }] },
    notes: 'Kestra asserts FAILED after each of the two restarts; each restart adds an attempt to the failed task run',
  },
  // ExecutionServiceTest.restartFlowable/restartFlowable2: the failed Log in each ForEach value (its `ko` is an undefined
  // variable) fails the execution; a restart (Kestra asserts the RESTARTED execution: several task runs RESTARTED, their
  // parents RUNNING again) reruns those task runs with a second attempt, which fail again on the same input.
  ...(['FIRST', 'SECOND'] as const).map((failed): SourceCase => ({
    name: `restart-each/${failed}`, flow: 'restart-each.yaml', java: `${CORE}/core/runners/ExecutionServiceTest.java#${failed === 'FIRST' ? 'restartFlowable' : 'restartFlowable2'}`,
    inputs: { failed },
    steps: [
      'Start execution #1 of the same flow and wait for it to terminate.',
      'Assert: execution state FAILED.',
      'Restart the execution and wait for it to end again.',
      'Assert: execution state FAILED.',
    ],
    expected: { state: 'FAILED', taskRuns: [{ taskId: failed === 'FIRST' ? '2-1-1_t1' : '2-1-2-1_t1', state: 'FAILED', attempts: 2 }] },
  })),
  {
    name: 'working-directory/restart', flow: 'working-directory.yaml', java: `${CORE}/core/runners/ExecutionServiceTest.java#restartDynamic`, inputs: { failed: 'true' },
    steps: [
      'Start execution #1 of the same flow and wait for it to terminate.',
      'Assert: execution state FAILED; getTaskRunList().size() == 3.',
      'Restart the execution and wait for it to end again.',
      'Assert: execution state FAILED.',
    ],
    expected: { state: 'FAILED' },
    notes: 'Kestra asserts the restarted execution RESTARTED with its first task run (the WorkingDirectory) RESTARTED; the same input fails it again',
  },

  // ---- more of valids/: flows no other case ran ----
  {
    name: 'all-flowable', flow: 'all-flowable.yaml', java: `${CORE}/core/serializers/YamlParserTest.java#all, webserver/src/test/java/io/kestra/webserver/controllers/api/FlowControllerTest.java#graph`,
    expected: {
      state: 'FAILED', taskRunCount: 26,
      outputs: [{ target: 'taskRun', taskId: '1-each-2-1', values: ['value 2', 'b'], path: 'value', op: 'equals', expected: '1-each-2-1 > b' }],
      taskRuns: [
        { taskId: '4-sequential-case-1', state: 'FAILED' }, { taskId: 'error-1st', state: 'SUCCESS' }, { taskId: 'error-2nd', state: 'SUCCESS' },
        { taskId: '1-each-seq-error', count: 0 }, { taskId: '3-sequential-local-errors', count: 0 }, { taskId: '4-sequential-default', count: 0 },
      ],
    },
    notes: "Kestra's tests parse it (4 tasks, errors) and draw its graph; here it runs: 13 task runs in the ForEach (3 values × (1-each-1, 1-each-2, 2 × 1-each-2-1) + itself), 1, 8 in the Sequentials, the Switch and its FIRST case, which fails: a Switch's children carry no value (FlowableUtils.resolveTasks), so Kestra's strict `{{taskrun.value}}` fails it (as in disable-flowable); the flow's two errors tasks then run",
  },
  {
    name: 'flow-concurrency-cancel-pause', flow: 'flow-concurrency-cancel-pause.yml', java: `${CORE}/core/runners/FlowConcurrencyCaseTest.java#flowConcurrencyCancelPause`, rerunUnless: { kind: 'second-created-while-first-runs' },
    steps: [
      'Create and submit execution #1 of the same flow.',
      'Wait up to 30 s for the execution to reach RUNNING.',
      'Create and submit execution #2 of the same flow (state CREATED).',
      'Wait (<= 1 min each) for #2 CANCELLED, #1 SUCCESS.',
    ],
    expected: { state: 'SUCCESS' },
  },
  {
    name: 'inputs-large', flow: 'inputs-large.yaml', java: `${CORE}/core/runners/RunContextTest.java#inputsLarge`,
    inputs: { ...KESTRA_INPUTS, string: 'a'.repeat(1024 * 11) }, inputsMode: 'typed',
    expected: { state: 'SUCCESS', taskRunCount: 10, taskRuns: [{ taskId: '1_each', state: 'SUCCESS' }], outputs: [{ target: 'taskRun', taskId: 'string', values: ['9'], path: 'value', op: 'equals', expected: 'a'.repeat(1024 * 11) }] },
    notes: "Kestra also checks that two log lines of a task run are 1 ms apart (its logger's ordering), timing this suite does not assert; JdbcRunnerTest#flowTooLarge and #queueMessageTooLarge test Kestra's JDBC queue's 1 MiB message limit, which Chronicle's log does not share",
  },
  {
    name: 'inputs-small-files', flow: 'inputs-small-files.yaml', java: 'webserver/src/test/java/io/kestra/webserver/controllers/api/ExecutionControllerTest.java#triggerInputSmall',
    files: { f: 'kestra:\n  storage:\n    type: local\n' },
    expected: { state: 'SUCCESS', taskRunCount: 1, outputs: [{ target: 'flowOutputs', path: 'o', op: 'startsWith', expected: 'kestra://' }] },
  },
  { name: 'minimal-bis', flow: 'minimal-bis.yaml', java: 'webserver/src/test/java/io/kestra/webserver/controllers/api/ExecutionControllerTest.java#findByFlowId', expected: { state: 'SUCCESS', taskRunCount: 1 }, notes: 'Kestra starts it and finds it listed by namespace and flow id (its namespace io.kestra.tests.minimal.bis is its own)' },
  {
    name: 'restart_with_inputs', flow: 'restart_with_inputs.yaml', java: 'webserver/src/test/java/io/kestra/webserver/controllers/api/ExecutionControllerTest.java#restartWithNoFailure (its first run)',
    inputs: KESTRA_INPUTS, inputsMode: 'typed', files: { file: 'application-test.yml content' },
    expected: {
      state: 'SUCCESS', taskRunCount: 5,
      outputs: [
        { target: 'taskRun', taskId: 'int', path: 'value', op: 'equals', expected: '42' },
        { target: 'taskRun', taskId: 'float', path: 'value', op: 'equals', expected: '42.42' },
        { target: 'taskRun', taskId: 'instant', path: 'value', op: 'equals', expected: '2019-10-06T18:27:49Z' },
        { target: 'taskRun', taskId: 'file', path: 'value', op: 'startsWith', expected: 'kestra://' },
      ],
    },
    notes: "the restart and replay answers of Kestra's tests (422 `No task found to restart`, `No task found`, a replay from `instant`) are checked by kestra-webserver.spec.ts",
  },
  {
    name: 'resume-execution', flow: 'resume-execution.yaml', java: `${CORE}/plugin/core/execution/ResumeTest.java#resume`,
    runFirst: [{ flow: 'pause.yaml', state: 'PAUSED' }], inputs: { executionId: '<runFirst[0] execution id>' },
    expected: { state: 'SUCCESS', taskRunCount: 1 },
    related: [{ flowId: 'pause', count: 1, states: ['SUCCESS'] }],
    notes: 'Kestra awaits the paused execution to be terminated; pause.yaml ends SUCCESS once resumed',
  },
  {
    name: 'schedule-trigger', flow: 'schedule-trigger.yaml', java: 'webserver/src/test/java/io/kestra/webserver/controllers/api/TriggerControllerTest.java (loaded with every valid flow; run here to SUCCESS)',
    expected: { state: 'SUCCESS', taskRunCount: 1 },
  },
  {
    name: 'secrets', flow: 'secrets.yaml', java: `${CORE}/core/secret/SecretFunctionTest.java#getSecret`,
    expected: {
      state: 'SUCCESS', taskRunCount: 3,
      outputs: [
        { target: 'taskRunAt', index: 0, path: 'value', op: 'equals', expected: 'secretValue' },
        { target: 'taskRunAt', index: 2, path: 'value', op: 'equals', expected: 'passwordveryveryveyrlongpasswordveryveryveyrlongpasswordveryveryveyrlongpasswordveryveryveyrlongpasswordveryveryveyrlong' },
        { target: 'log', op: 'contains', expected: '***' },
      ],
    },
    notes: "the secrets are Kestra's test environment's (build.gradle; kestra-test-environment.ts gives them to every Chronicle this suite starts)",
  },
  {
    name: 'variables', flow: 'variables.yaml', java: `${CORE}/plugin/core/flow/VariablesTest.java#recursiveVars`,
    expected: {
      state: 'SUCCESS', taskRunCount: 3,
      outputs: [
        { target: 'taskRun', taskId: 'variable', path: 'value', op: 'equals', expected: '1 > 2 > 3' },
        { target: 'taskRun', taskId: 'env', path: 'value', op: 'equals', expected: 'true Pass by env' },
        { target: 'taskRun', taskId: 'global', path: 'value', op: 'equals', expected: 'string 1 true 2' },
      ],
    },
    notes: "`envs` and `globals` as Kestra's test environment sets them (KESTRA_TEST1, KESTRA_TEST2 under the prefix KESTRA_; application-test.yml's globals): CHRONICLE_ENV_VARS_PREFIX and CHRONICLE_GLOBALS (kestra-test-environment.ts)",
  },
  {
    name: 'trigger-multiplecondition-failed', flow: 'trigger-multiplecondition-flow-d.yaml', java: `${CORE}/core/runners/MultipleConditionTriggerCaseTest.java#failed`,
    requires: ['trigger-flow-listener-namespace-condition.yaml', 'trigger-multiplecondition-failed.yaml'],
    runFirst: [{ flow: 'trigger-multiplecondition-flow-c.yaml', state: 'FAILED' }],
    expected: { state: 'SUCCESS', taskRunCount: 1 },
    related: [
      { namespace: 'io.kestra.tests.trigger', flowId: 'trigger-flow-listener-namespace-condition', count: 1, states: ['SUCCESS'], taskRunCount: 1 },
      { namespace: 'io.kestra.tests.trigger', flowId: 'trigger-multiplecondition-failed', count: 0 },
    ],
    notes: "the FAILED flow-c triggers no listener (ExecutionStatus in SUCCESS); the SUCCESS flow-d triggers the namespace listener (counted here: the one flow-d's execution triggered, as other cases of the namespace trigger it too). trigger-multiplecondition-failed (not loaded by Kestra's test) waits for flow-c and flow-d both SUCCESS in its window, so it never starts",
  },

  // ---- core/src/test/resources/flows/invalids/: refused at deploy, naming the property, with Kestra's words ----
  ...invalidFlows([
    ['dag-cyclicdependency.yaml', `${CORE}/plugin/core/flow/DagTest.java#dagCyclicDependencies`, ['Cyclic dependency detected: task1, task2']],
    ['dag-notexist-task.yaml', `${CORE}/plugin/core/flow/DagTest.java#dagNotExistTask`, ['Not existing task id in dependency: taskX']],
    ['duplicate-inputs.yaml', `${CORE}/core/models/flows/FlowTest.java#duplicateInputs`, ['Duplicate input with name [first_input]']],
    ['duplicate-key.yaml', `${CORE}/core/serializers/YamlParserTest.java#duplicateKey`, ["Duplicate field 'variables.tf'"]],
    ['duplicate-parallel.yaml', `${CORE}/core/models/flows/FlowTest.java#duplicateParallel`, ['Duplicate task id with name [t3]']],
    ['duplicate.yaml', `${CORE}/core/models/flows/FlowTest.java#duplicate`, ['Duplicate task id with name [date]', 'Duplicate trigger id with name [trigger]', 'listeners']],
    ['empty.yaml', `${CORE}/core/serializers/YamlParserTest.java#empty (Kestra: must not be empty)`, ['required property "tasks" is missing']],
    ['inputs-bad-type.yaml', `${CORE}/core/serializers/YamlParserTest.java#inputsBadType (Kestra: Invalid type: FOO)`, ['inputs[0].type', 'unsupported input type string "FOO"']],
    ['inputs-bad-validator-syntax.yaml', 'none asserts it (loaded as an invalid flow)', ['inputs[0].validator', 'invalid regular expression']],
    ['inputs-validation.yaml', `${CORE}/core/models/flows/FlowTest.java#inputValidation (Kestra: no defaults for FILE; itemType cannot be ARRAY)`, ['inputs[0].defaults', 'inputs[1].itemType: an ARRAY cannot hold ARRAYs']],
    ['inputs.yaml', `${CORE}/core/serializers/YamlParserTest.java#inputsFailed (Kestra: Invalid type: null)`, ['inputs[0]: required property "type" is missing', 'inputs[0].id']],
    ['invalid-parallel.yaml', `${CORE}/core/serializers/YamlParserTest.java#invalidParallel (Kestra: must not be empty)`, ['tasks[0]: required property "tasks" is missing', 'tasks[1].tasks: must contain at least one task', 'tasks[2]: required property "tasks" is missing', 'is not a valid flow id']],
    ['invalid-property.yaml', `${CORE}/core/serializers/YamlParserTest.java#invalidProperty (Kestra: Unrecognized field "invalid")`, ['tasks[0].invalid', 'unknown property "invalid" of Return']],
    ['invalid-task.yaml', `${CORE}/core/serializers/YamlParserTest.java#invalidTask (Kestra: Invalid type: ...)`, ['unknown task type "io.kestra.plugin.core.debug.MissingTwo"', 'unknown task type "io.kestra.plugin.core.debug.MissingThree"']],
    ['invalid.yaml', `${CORE}/core/serializers/YamlParserTest.java#validation`, ['"my#flow" is not a valid flow id', '"MY$NAMESPACE" is not a valid namespace', 'tasks[0]: required property "id" is missing']],
    ['listener.yaml', `${CORE}/core/serializers/YamlParserTest.java#listeners`, ['flow property "listeners" is not supported']],
    ['recursive-flow.yaml', `${CORE}/core/validations/FlowValidationTest.java#invalidRecursiveFlow`, ['Recursive call to flow [io.kestra.tests.recursive-flow]']],
    ['switch-invalid.yaml', `${CORE}/core/models/flows/FlowTest.java#switchTaskInvalid`, ['No task defined, neither cases or default have any tasks']],
    ['system-labels.yaml', `${CORE}/core/validations/FlowValidationTest.java#systemLabelShouldFailValidation`, ['System labels can only be set by Kestra itself, offending label: system.label=system_key']],
    ['worker-group.yaml', `${CORE}/core/models/flows/FlowTest.java#workerGroup`, ['tasks[0].workerGroup', 'Worker Group is an Enterprise Edition functionality']],
    ['workingdirectory-invalid.yaml', `${CORE}/core/models/flows/FlowTest.java#workingDirectoryTaskInvalid`, ['Only runnable tasks are allowed as children of a WorkingDirectory task']],
    ['workingdirectory-no-tasks.yaml', `${CORE}/core/models/flows/FlowTest.java#workingDirectoryNoTasks (Kestra: The 'tasks' property cannot be empty)`, ['tasks[0]: required property "tasks" is missing']],
  ]),

  // ---- core/src/test/resources/flows/tests/ ----
  {
    name: 'tests/inputs-old', flow: `${TESTS}inputs-old.yaml`, java: `${CORE}/core/serializers/YamlParserTest.java#inputsOld (parsed: one STRING input myInput; run here)`,
    inputs: { myInput: 'value' }, expected: { state: 'SUCCESS', taskRunCount: 1 },
  },
  {
    name: 'tests/invalid-task-defaults', flow: `${TESTS}invalid-task-defaults.yaml`, java: 'none asserts it: taskDefaults giving Log a property it does not have',
    refused: { contains: ['tasks[0].invalid', 'unknown property "invalid" of Log'], reason: 'a default value for a property the task type does not take is a deploy error naming it at the task it reaches (never ignored)' },
  },
  ...['listeners.yaml', 'listeners-failed.yaml', 'listeners-flowable.yaml', 'listeners-multiple.yaml', 'listeners-multiple-failed.yaml'].map((file): SourceCase => ({
    name: `tests/${file.replace(/\.yaml$/, '')}`, flow: `${TESTS}${file}`, java: `${CORE}/core/runners/ListenersTest.java`,
    refused: { contains: 'listeners', reason: 'flow `listeners` are deprecated in Kestra 0.21 and removed since; Chronicle refuses them at deploy (README, flow level): a flow uses `afterExecution` or a Flow trigger instead' },
  })),
  ...['trigger.yaml', 'trigger-empty.yaml'].map((file): SourceCase => ({
    name: `tests/${file.replace(/\.yaml$/, '')}`, flow: `${TESTS}${file}`, java: 'none asserts it (a Schedule with the deprecated `backfill` property)',
    refused: { contains: ['triggers[0].backfill', 'not supported'], reason: "the Schedule's deprecated `backfill` property is refused; a backfill is started from the API or the UI (README, Triggers)" },
  })),
  {
    name: 'tests/plugin-defaults', flow: `${TESTS}plugin-defaults.yaml`, java: `${CORE}/core/runners/PluginDefaultsCaseTest.java`,
    refused: testPlugin('io.kestra.core.runners.PluginDefaultsCaseTest$DefaultSequential1'),
  },

  // ---- Kestra's other test flows (templates, tasks, webserver, cli): deployed there, run here ----
  ...(['with-template.yaml', 'with-failed-template.yaml'] as const).map((file): SourceCase => ({
    name: `templates/${file.replace(/\.yaml$/, '')}`, flow: `core/src/test/resources/flows/templates/${file}`,
    java: `${CORE}/plugin/core/flow/TemplateTest.java#${file === 'with-template.yaml' ? 'withTemplate' : 'withFailedTemplate'}`,
    refused: { contains: ['io.kestra.plugin.core.flow.Template', 'Template is deprecated in Kestra'], reason: 'Kestra deprecated templates (a flow runs a Subflow instead); Chronicle refuses the Template task at deploy with that reason' },
  })),
  {
    name: 'tasks/sequentials', flow: 'core/src/test/resources/tasks/flows/sequentials/flow.yaml', java: 'none runs it (a fixture beside execution_empty.yaml): task ids written as numbers, read as text as Jackson does',
    expected: { state: 'SUCCESS', taskRunCount: 4, outputs: [{ target: 'taskRun', taskId: '2', path: 'value', op: 'equals', expected: '2' }] },
  },
  {
    name: 'webserver/simpleFlow', flow: 'webserver/src/test/resources/flows/simpleFlow.yaml', java: 'webserver/src/test/java/io/kestra/webserver/controllers/api/FlowControllerTest.java#createFlow (deployed there; run here)',
    inputs: { a: 'x' }, inputsMode: 'typed', expected: { state: 'SUCCESS', taskRunCount: 1, outputs: [{ target: 'taskRun', taskId: 'test', path: 'value', op: 'equals', expected: 'test' }] },
  },
  {
    name: 'webserver/simpleflowUpdate', flow: 'webserver/src/test/resources/flows/simpleflowUpdate.yaml', java: 'webserver/src/test/java/io/kestra/webserver/controllers/api/FlowControllerTest.java#updateFlowFromJsonFromString (deployed there; run here)',
    inputs: { b: 'y' }, inputsMode: 'typed', expected: { state: 'SUCCESS', taskRunCount: 1 },
  },
  {
    name: 'webserver/simpleInvalidFlow', flow: 'webserver/src/test/resources/flows/simpleInvalidFlow.yaml', java: 'webserver/src/test/java/io/kestra/webserver/controllers/api/FlowControllerTest.java#createInvalidFlow',
    refused: { contains: 'badProperties', reason: "Kestra refuses it (`Unrecognized field \"badProperties\"`); Chronicle refuses the unknown property at deploy, naming it" },
  },
  {
    name: 'webserver/warningsAndInfos', flow: 'webserver/src/test/resources/flows/warningsAndInfos.yaml', java: 'webserver/src/test/java/io/kestra/webserver/controllers/api/FlowControllerTest.java#warningsAndInfos (validated there; run here)',
    expected: { state: 'SUCCESS', taskRunCount: 3 },
  },
  ...(['flows/quattro.yml', 'flows/same/first.yaml', 'flows/same/second.yaml', 'flows/same/flowsSubFolder/third.yaml'] as const).map((file): SourceCase => ({
    name: `cli/${file.replace(/^.*\//, '').replace(/\.ya?ml$/, '')}`, flow: `cli/src/test/resources/${file}`,
    java: 'cli/src/test/java/io/kestra/cli/commands/flows/ (FlowCreateOrUpdateCommandTest, SingleFlowCommandsTest: deployed there; run here)',
    expected: { state: 'SUCCESS', taskRunCount: 1, outputs: [{ target: 'taskRun', taskId: 'date', path: 'value', op: 'notNull' }] },
  })),
  {
    name: 'cli/flow-with-warning', flow: 'cli/src/test/resources/warning/flow-with-warning.yaml', java: 'cli/src/test/java/io/kestra/cli/commands/flows/FlowValidateCommandTest.java#warning (valid with a deprecation warning; run here)',
    expected: { state: 'SUCCESS', taskRunCount: 2 },
  },

  // ---- refused at deploy: Kestra's test-only plugins ----
  { name: 'dynamic-task', flow: 'dynamic-task.yaml', java: `${JDBC}#dynamicTask`, refused: testPlugin('io.kestra.core.tasks.test.DynamicTask') },
  { name: 'executable-fail', flow: 'executable-fail.yml', java: `${JDBC}#badExecutable`, refused: testPlugin('io.kestra.core.tasks.test.BadExecutable') },
  { name: 'flowable-fail', flow: 'flowable-fail.yaml', java: `${CORE}/plugin/core/flow/BadFlowableTest.java#sequential`, refused: testPlugin('io.kestra.core.tasks.test.BadSequential') },
  { name: 'null-output', flow: 'null-output.yaml', java: `${CORE}/core/runners/NullOutputTest.java#shouldIncludeNullOutput`, refused: testPlugin('io.kestra.core.tasks.test.NullOutputTask') },
  { name: 'alias-task', flow: 'alias-task.yaml', java: `${CORE}/core/plugins/AliasTest.java`, refused: testPlugin('io.kestra.core.runners.test.TaskWithAlias') },
  { name: 'encrypted-string', flow: 'encrypted-string.yaml', java: `${CORE}/core/runners/RunContextTest.java#encryptedStringOutput`, refused: testPlugin('io.kestra.core.tasks.test.Encrypted') },
  { name: 'exception-with-output', flow: 'exception-with-output.yaml', java: `${CORE}/core/runners/RunnableTaskExceptionTest.java`, refused: testPlugin('io.kestra.core.runners.test.TaskThatFail') },
  { name: 'workertask-result-too-large', flow: 'workertask-result-too-large.yaml', java: `${JDBC}#workerTaskResultTooLarge`, refused: testPlugin('io.kestra.core.runners.test.WorkerTaskResultTooLarge') },

  { name: 'retry-dynamic-task', flow: 'retry-dynamic-task.yaml', java: `${RETRY}#retryDynamicTask`, refused: testPlugin('io.kestra.core.tasks.test.DynamicTask') },
  { name: 'working-directory-taskrun-encrypted', flow: 'working-directory-taskrun-encrypted.yml', java: `${CORE}/plugin/core/flow/WorkingDirectoryTest.java#encryption`, refused: testPlugin('io.kestra.core.tasks.test.Encrypted') },

  {
    name: 'alias-trigger', flow: 'alias-trigger.yaml', java: `${CORE}/core/runners/AliasTest.java`,
    refused: { contains: 'io.kestra.core.runners.test.trigger.Alias', reason: "a trigger of Kestra's test classpath: Chronicle refuses unknown trigger types at deploy" },
  },

  // ---- refused at deploy: what Chronicle leaves out on purpose (README, "What a flow can do") ----
  {
    name: 'working-directory-cache', flow: 'working-directory-cache.yml', java: `${CORE}/plugin/core/flow/WorkingDirectoryTest.java#cache`,
    refused: { contains: '"cache" is not supported by Chronicle', reason: "WorkingDirectory's cache needs a folder its tasks share; Chronicle's tasks share no file system" },
  },
  {
    name: 'working-directory-namespace-files', flow: 'working-directory-namespace-files.yaml', java: `${CORE}/plugin/core/flow/WorkingDirectoryTest.java#namespaceFiles`,
    refused: { contains: '"namespaceFiles" is not supported by Chronicle', reason: 'namespace files are copied into a folder the tasks share (and its Read task is a test plugin); namespace.DownloadFiles reads them instead' },
  },
  {
    name: 'http-listen-encrypted', flow: 'http-listen-encrypted.yaml', java: `${CORE}/plugin/core/http/TriggerTest.java#trigger_EncryptedBody`,
    refused: { contains: ['encryptBody', 'not supported by Chronicle: Chronicle has no encrypted outputs'], reason: 'Chronicle has no encrypted outputs: the HTTP trigger refuses encryptBody, as the Request task does (README, Triggers)' },
  },
  // ---- the HTTP polling trigger ----
  // http-listen's trigger polls api.chucknorris.io, which the suite cannot reach (nor point elsewhere): here it deploys and runs
  // by hand; the trigger itself is apps/scheduler's http-trigger-runner.int.spec.ts (a local server, real Postgres).
  {
    name: 'http-listen', flow: 'http-listen.yaml', java: `${CORE}/plugin/core/http/TriggerTest.java#trigger (deployed there, started by its trigger; run here)`,
    expected: { state: 'SUCCESS', taskRunCount: 1 },
    notes: "Kestra's test waits for the execution its HTTP trigger starts from the internet; the suite has no internet, so the flow is started by hand",
  },
];
