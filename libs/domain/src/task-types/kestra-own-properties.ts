/**
 * The properties each of these task types takes besides every task's base ones, from Kestra's
 * classes (core/src/main/java/io/kestra/plugin/core/flow/{Dag,LoopUntil,WaitFor,WorkingDirectory,
 * ForEachItem}.java, .../execution/{Labels,Exit,Resume,SetVariables,UnsetVariables}.java). The
 * types' own `validate` refuses, with the reason, those Chronicle does not implement (listed here
 * so that they get that reason, not "unknown property"). For the generic unknown-property check
 * (a property of a known type that is neither its own nor a base one is a deploy error).
 */
const LISTS = ['errors', 'finally'];

export const FLOW_AND_EXECUTION_TASK_OWN_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  Dag: ['tasks', 'concurrent', ...LISTS],
  LoopUntil: ['condition', 'tasks', 'checkFrequency', 'failOnMaxReached', ...LISTS],
  WaitFor: ['condition', 'tasks', 'checkFrequency', 'failOnMaxReached', ...LISTS],
  WorkingDirectory: ['tasks', 'cache', 'inputFiles', 'outputFiles', 'namespaceFiles', ...LISTS],
  ForEachItem: ['items', 'batch', 'namespace', 'flowId', 'revision', 'inputs', 'labels', 'wait', 'transmitFailed', 'inheritLabels', 'scheduleDate', ...LISTS],
  Labels: ['labels'],
  Exit: ['state'],
  Resume: ['executionId', 'namespace', 'flowId', 'inputs'],
  SetVariables: ['variables', 'overwrite'],
  UnsetVariables: ['variables', 'ignoreMissing'],
};
