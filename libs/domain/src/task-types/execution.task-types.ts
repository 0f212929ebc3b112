import { STATES } from '../execution/state.js';
import type { JsonObject } from '../shared/json.js';
import type { TaskPropertyIssue, TaskTypeDefinition } from './task-type-definition.js';

/**
 * Kestra's `io.kestra.plugin.core.execution.*` tasks that change the running execution itself
 * (Kestra's `ExecutionUpdatableTask`): the executor decides them like flowables, in the decision
 * that starts them, because what they change is the execution's own state. `Fail` is a runnable
 * (fail.task-type.ts); `Count` and `PurgeExecutions` run in the worker (libs/tasks' execution/ modules).
 * `Resume` changes another execution: the decision records the request and the relay sends
 * that execution a ResumeExecution command; its own decider resumes it if it is PAUSED and
 * answers either way (ExecutionResumeAnswered), which ends the Resume task run.
 */
const EXECUTION = 'io.kestra.plugin.core.execution';

/** The states `Exit` may end an execution in (Kestra's Exit.ExitState; CANCELED ends it CANCELLED). */
export const EXIT_STATES = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELED'] as const;
export type ExitState = (typeof EXIT_STATES)[number];

const isExpression = (v: unknown): boolean => typeof v === 'string' && v.includes('{{');

const isJsonMap = (text: string): boolean => {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
};

const validateLabels = (p: JsonObject): TaskPropertyIssue[] => {
  const { labels } = p;
  if (labels === undefined || labels === null) return [{ path: [], message: 'required property "labels" is missing' }];
  // Kestra's Labels renders a text and reads it as a JSON map: an expression, or a JSON map written out.
  if (typeof labels === 'string') return isExpression(labels) || isJsonMap(labels) ? [] : [{ path: ['labels'], message: 'a text must be a JSON map of labels or an expression giving one' }];
  if (Array.isArray(labels)) {
    return labels.flatMap((item, i) =>
      typeof item === 'object' && item !== null && !Array.isArray(item) && typeof item.key === 'string' && item.value !== undefined && item.value !== null && Object.keys(item).every((k) => k === 'key' || k === 'value')
        ? []
        : [{ path: ['labels', i], message: 'must be a mapping { key, value }' }]);
  }
  if (typeof labels === 'object') {
    // A nested value becomes its JSON text, as in the list form (Kestra's RuntimeLabelsTest#shouldUpdateWithNestedValueInMap).
    return Object.entries(labels).flatMap(([k, v]) => (v !== null && v !== undefined ? [] : [{ path: ['labels', k], message: 'a label value must not be empty' }]));
  }
  return [{ path: ['labels'], message: 'must be a mapping, a list of { key, value } or an expression' }];
};

const validateExit = (p: JsonObject): TaskPropertyIssue[] => {
  const { state } = p;
  if (state === undefined || state === null || isExpression(state)) return [];
  return typeof state === 'string' && (EXIT_STATES as readonly string[]).includes(state) ? [] : [{ path: ['state'], message: `must be one of ${EXIT_STATES.join(', ')}` }];
};

/** Kestra's PluginUtilsService.executionFromTaskParameters: namespace and flowId go together, and only with executionId. */
const validateResume = (p: JsonObject): TaskPropertyIssue[] => {
  const issues: TaskPropertyIssue[] = [];
  for (const key of ['executionId', 'namespace', 'flowId']) {
    if (p[key] !== undefined && p[key] !== null && typeof p[key] !== 'string') issues.push({ path: [key], message: 'must be a string' });
  }
  const has = (k: string) => p[k] !== undefined && p[k] !== null;
  if (has('executionId') && has('namespace') !== has('flowId')) issues.push({ path: [], message: 'both "namespace" and "flowId" must be set when "executionId" is set' });
  if (!has('executionId') && (has('namespace') || has('flowId'))) issues.push({ path: [], message: '"namespace" and "flowId" may only be set when "executionId" is set' });
  if (has('inputs') && (typeof p.inputs !== 'object' || Array.isArray(p.inputs))) issues.push({ path: ['inputs'], message: 'must be a mapping of input names to values' });
  return issues;
};

const validateSetVariables = (p: JsonObject): TaskPropertyIssue[] => [
  ...(p.variables === undefined || p.variables === null ? [{ path: [], message: 'required property "variables" is missing' }]
    : typeof p.variables !== 'object' || Array.isArray(p.variables) ? [{ path: ['variables'], message: 'must be a mapping of names to values' }] : []),
  ...(p.overwrite !== undefined && typeof p.overwrite !== 'boolean' && !isExpression(p.overwrite) ? [{ path: ['overwrite'], message: 'must be true or false' }] : []),
];

const validateUnsetVariables = (p: JsonObject): TaskPropertyIssue[] => [
  ...(p.variables === undefined || p.variables === null ? [{ path: [], message: 'required property "variables" is missing' }]
    : !isExpression(p.variables) && !(Array.isArray(p.variables) && p.variables.every((v) => typeof v === 'string')) ? [{ path: ['variables'], message: 'must be a list of variable names' }] : []),
  ...(p.ignoreMissing !== undefined && typeof p.ignoreMissing !== 'boolean' && !isExpression(p.ignoreMissing) ? [{ path: ['ignoreMissing'], message: 'must be true or false' }] : []),
];

const executionTask = (name: string, validate: (p: JsonObject) => TaskPropertyIssue[]): TaskTypeDefinition => ({
  name,
  fullName: `${EXECUTION}.${name}`,
  kind: 'flowable',
  validate,
});

const validateStatusMessage = (p: JsonObject): TaskPropertyIssue[] =>
  typeof p.message === 'string' ? [] : [{ path: p.message === undefined ? [] : ['message'], message: p.message === undefined ? 'required property "message" is missing' : 'must be a text (an expression is rendered)' }];

/** The execution states a WaitForExecution may wait for: any an execution can enter but its first. */
const AWAITABLE = STATES.filter((s) => s !== 'CREATED' && s !== 'SKIPPED' && s !== 'RETRYING');
const isLabelsMap = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === 'string' && x !== '');
const validateWaitForExecution = (p: JsonObject): TaskPropertyIssue[] => {
  const target: TaskPropertyIssue[] = p.executionId !== undefined && p.labels !== undefined
    ? [{ path: ['labels'], message: 'give either "executionId" or "labels", not both' }]
    : p.labels !== undefined
      ? (isLabelsMap(p.labels) ? [] : [{ path: ['labels'], message: 'must be a map of label names to values (each rendered), e.g. { release: "{{ inputs.release }}" }' }])
      : typeof p.executionId === 'string' && p.executionId !== '' ? []
        : [{ path: p.executionId === undefined ? [] : ['executionId'], message: p.executionId === undefined ? 'required property "executionId" (or "labels") is missing' : 'must be a text (an expression is rendered)' }];
  const states = p.states === undefined || (Array.isArray(p.states) && p.states.length > 0 && p.states.every((s) => typeof s === 'string' && (AWAITABLE as readonly string[]).includes(s)))
    ? [] : [{ path: ['states'], message: `must be a list of execution states: ${AWAITABLE.join(', ')}` }];
  return [...target, ...states];
};

export const EXECUTION_TASK_TYPES = {
  // Chronicle's own (Cloudomation's execution.wait()/wait_status): waits until another execution (by id or labels) reaches a state.
  WaitForExecution: { name: 'WaitForExecution', fullName: 'io.chronicle.plugin.core.execution.WaitForExecution', kind: 'flowable', validate: validateWaitForExecution, properties: ['executionId', 'labels', 'states'] },
  // Chronicle's own (Cloudomation's status message): sets the execution's human status `message`.
  StatusMessage: { name: 'StatusMessage', fullName: 'io.chronicle.plugin.core.execution.StatusMessage', kind: 'flowable', validate: validateStatusMessage, properties: ['message'] },
  Labels: { ...executionTask('Labels', validateLabels), properties: ['labels'] },
  Exit: { ...executionTask('Exit', validateExit), properties: ['state'] },
  Resume: { ...executionTask('Resume', validateResume), properties: ['executionId', 'namespace', 'flowId', 'inputs'] },
  SetVariables: { ...executionTask('SetVariables', validateSetVariables), properties: ['variables', 'overwrite'] },
  UnsetVariables: { ...executionTask('UnsetVariables', validateUnsetVariables), properties: ['variables', 'ignoreMissing'] },
} as const satisfies Record<string, TaskTypeDefinition>;
