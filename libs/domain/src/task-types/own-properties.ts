/**
 * The properties each task type takes besides the base ones (TASK_BASE_PROPERTIES), from Kestra's
 * classes (core/src/main/java/io/kestra/plugin/core/...) as far as Chronicle implements them; a
 * property of a listed type that is not here is a deploy error, never silently ignored. A type
 * not listed here is checked by its own `validate` only. Newer Kestra gave every flowable
 * `finally`; Chronicle takes it too.
 */
import { FLOW_AND_EXECUTION_TASK_OWN_PROPERTIES } from './kestra-own-properties.js';

const LISTS = ['errors', 'finally'];

export const TASK_OWN_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  ...FLOW_AND_EXECUTION_TASK_OWN_PROPERTIES,
  Log: ['message', 'level'],
  OutputValues: ['values'],
  Fail: ['condition', 'errorMessage'],
  Return: ['format'],
  Echo: ['format', 'level'],
  Script: ['script', 'memoryLimitMb'],
  // core/src/main/java/io/kestra/plugin/core/http/AbstractHttp.java and Request.java
  Request: ['uri', 'method', 'body', 'formData', 'contentType', 'headers', 'options', 'allowFailed'],
  Sleep: ['duration'],
  SleepUntil: ['date'],
  StatusMessage: ['message'],
  WaitForExecution: ['executionId', 'labels', 'states'],
  // What it runs comes from the wrapper execution (`wrapped`), never from properties.
  RunWrapped: [],
  Sequential: ['tasks', ...LISTS],
  Parallel: ['tasks', 'concurrent', ...LISTS],
  AllowFailure: ['tasks', ...LISTS],
  If: ['condition', 'then', 'else', ...LISTS],
  Switch: ['value', 'cases', 'defaults', ...LISTS],
  ForEach: ['values', 'tasks', 'concurrencyLimit', ...LISTS],
  EachSequential: ['value', 'tasks', ...LISTS],
  EachParallel: ['value', 'tasks', 'concurrent', ...LISTS],
  // `delay` is Kestra 0.21's name for `pauseDuration`.
  Pause: ['delay', 'pauseDuration', 'onResume', 'tasks', ...LISTS],
  Subflow: ['namespace', 'flowId', 'revision', 'inputs', 'labels', 'wait', 'transmitFailed', 'inheritLabels', 'outputs'],
};

/** Properties of Kestra's that Chronicle refuses with a reason. */
export const REFUSED_TASK_PROPERTIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Request: {
    sslOptions: 'Chronicle uses the platform certificate store; custom trust or client certificates are not configurable yet',
    encryptBody: 'Chronicle has no encrypted outputs yet; the body is kept as it is',
  },
  Subflow: { scheduleDate: 'a Subflow cannot schedule its child for later yet; start it now or use a Schedule trigger on the child flow' },
};
