import { parseIsoDuration } from '../execution/iso-duration.js';
import { isZonedDateTime } from '../execution/zoned-date-time.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import type { TaskPropertyIssue, TaskTypeDefinition } from './task-type-definition.js';
import { parseInputDefinitions } from '../flow/input-definitions.parser.js';

/**
 * The flowable task types: run by the executor itself (the decider), never by a worker. Their
 * nested task lists (`taskLists`, Switch `cases`; `requiredLists` must be present) are parsed by
 * the task parser; `validate` checks the other properties. Full names are Kestra's
 * (`io.kestra.plugin.core.flow.*`).
 */
const FLOW = 'io.kestra.plugin.core.flow';

type Check = (properties: JsonObject) => TaskPropertyIssue[];
const isPlainObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const required = (...keys: string[]): Check => (p) =>
  keys.filter((k) => p[k] === undefined || p[k] === null).map((k) => ({ path: [], message: `required property "${k}" is missing` }));

const integer = (key: string, min: number): Check => (p) => {
  const v = p[key];
  if (v === undefined || v === null) return [];
  return typeof v === 'number' && Number.isInteger(v) && v >= min ? [] : [{ path: [key], message: `must be an integer >= ${min}` }];
};

const isDurationOrExpression = (v: JsonValue | undefined): boolean =>
  typeof v === 'string' && (parseIsoDuration(v) !== undefined || v.includes('{{'));

const duration = (key: string): Check => (p) =>
  p[key] === undefined || p[key] === null || isDurationOrExpression(p[key]) ? [] : [{ path: [key], message: 'must be an ISO-8601 duration such as PT30S' }];

const oneOf = (key: string, types: readonly string[], what: string): Check => (p) => {
  const v = p[key];
  if (v === undefined || v === null) return [];
  const type = Array.isArray(v) ? 'list' : typeof v === 'object' ? 'mapping' : typeof v;
  return types.includes(type) ? [] : [{ path: [key], message: `must be ${what}` }];
};

/** Kestra's Pause `behavior` (Kestra >= 0.22): what happens when its `pauseDuration` elapses. */
export const PAUSE_BEHAVIORS = ['RESUME', 'WARN', 'FAIL', 'CANCEL'] as const;
export type PauseBehavior = (typeof PAUSE_BEHAVIORS)[number];

const pauseBehavior: Check = (p) => {
  const v = p.behavior;
  if (v === undefined || v === null || (typeof v === 'string' && (v.includes('{{') || (PAUSE_BEHAVIORS as readonly string[]).includes(v)))) return [];
  return [{ path: ['behavior'], message: `must be one of ${PAUSE_BEHAVIORS.join(', ')}` }];
};

/** Kestra's Switch validation (SwitchTaskValidation): a Switch with no task in any case nor in `defaults` can do nothing. */
const someSwitchTask: Check = (p) => {
  const lists = [...(isPlainObject(p.cases) ? Object.values(p.cases) : []), p.defaults];
  return lists.some((l) => Array.isArray(l) && l.length > 0) ? [] : [{ path: [], message: 'No task defined, neither cases or default have any tasks' }];
};

const all = (...checks: Check[]) => (properties: JsonObject): TaskPropertyIssue[] => checks.flatMap((c) => c(properties));

const flowable = (name: string, taskLists: readonly string[], validate: Check, extra: Partial<TaskTypeDefinition> = {}): TaskTypeDefinition => ({
  name,
  fullName: `${FLOW}.${name}`,
  kind: 'flowable',
  taskLists,
  validate,
  ...extra,
});

const WITH_ERRORS = ['errors', 'finally'] as const;

/** Pause's `onResume` (Kestra's `List<Input<?>>`): each input checked at deploy as a flow's inputs are. */
const onResumeInputs: Check = (p) => {
  if (!Array.isArray(p.onResume)) return [];
  const issues: TaskPropertyIssue[] = [];
  parseInputDefinitions(p.onResume, (path, message) => issues.push({ path: ['onResume', ...path.slice(1)], message }));
  return issues;
};

/** Subflow's `labels` as a list: each entry `{ key, value }` only (Kestra's Label record). */
const labelEntries: Check = (p) =>
  Array.isArray(p.labels)
    ? p.labels.flatMap((item, i) => (isPlainObject(item) ? Object.keys(item).filter((k) => k !== 'key' && k !== 'value').map((k) => ({ path: ['labels', i, k], message: `unknown property "${k}" of a label (it takes key, value)` })) : [{ path: ['labels', i], message: 'a label in a list must be a mapping with key and value' }]))
    : [];

/** SleepUntil's `date`: required; a literal one must be a zoned ISO-8601 date-time (an expression is checked when rendered). */
const sleepUntilIssues = (p: JsonObject): TaskPropertyIssue[] =>
  typeof p.date !== 'string' || p.date === ''
    ? [{ path: p.date === undefined ? [] : ['date'], message: p.date === undefined ? 'required property "date" is missing' : 'must be an ISO-8601 date-time with its zone (an expression is rendered)' }]
    : !p.date.includes('{{') && !isZonedDateTime(p.date) ? [{ path: ['date'], message: `"${p.date}" is not an ISO-8601 date-time with its zone, e.g. 2030-01-31T06:00:00Z` }] : [];

const mapping = (key: string, checks: Record<string, Check>): Check => (p) => {
  const v = p[key];
  if (v === undefined || v === null) return [];
  if (typeof v !== 'object' || Array.isArray(v)) return [{ path: [key], message: 'must be a mapping' }];
  const known = Object.keys(checks);
  const unknown = Object.keys(v).filter((k) => !known.includes(k)).map((k) => ({ path: [key, k], message: `unknown property "${k}" (allowed: ${known.join(', ')})` }));
  return [...unknown, ...Object.values(checks).flatMap((check) => check(v).map((issue) => ({ ...issue, path: [key, ...issue.path] })))];
};

/** Properties of Kestra's type that Chronicle refuses at deploy, with the reason (README lists them). */
const refused = (reasons: Record<string, string>): Check => (p) =>
  Object.entries(reasons).filter(([k]) => p[k] !== undefined).map(([k, why]) => ({ path: [k], message: `"${k}" is not supported by Chronicle: ${why}` }));

/** LoopUntil and its older name WaitFor: the same loop, with the defaults each had (Kestra 0.23 changed them). */
const loopUntil = (name: string): TaskTypeDefinition => flowable(name, ['tasks', ...WITH_ERRORS], all(
  required('condition'),
  oneOf('condition', ['string', 'boolean'], 'an expression'),
  oneOf('failOnMaxReached', ['boolean'], 'true or false'),
  mapping('checkFrequency', { maxIterations: integer('maxIterations', 1), maxDuration: duration('maxDuration'), interval: duration('interval') }),
), { requiredLists: ['tasks'] });

export const FLOWABLE_TASK_TYPES = {
  Sequential: { ...flowable('Sequential', ['tasks', ...WITH_ERRORS], () => [], { requiredLists: ['tasks'] }), properties: ['tasks', 'errors', 'finally'] },
  Parallel: { ...flowable('Parallel', ['tasks', ...WITH_ERRORS], integer('concurrent', 0), { requiredLists: ['tasks'] }), properties: ['tasks', 'concurrent', 'errors', 'finally'] },
  AllowFailure: { ...flowable('AllowFailure', ['tasks', ...WITH_ERRORS], () => [], { requiredLists: ['tasks'] }), properties: ['tasks', 'errors', 'finally'] },
  If: { ...flowable('If', ['then', 'else', ...WITH_ERRORS], required('condition'), { requiredLists: ['then'] }), properties: ['condition', 'then', 'else', 'errors', 'finally'] },
  Switch: { ...flowable('Switch', ['defaults', ...WITH_ERRORS], all(required('value'), oneOf('cases', ['mapping'], 'a mapping of values to task lists'), someSwitchTask), { cases: true }), properties: ['value', 'cases', 'defaults', 'errors', 'finally'] },
  ForEach: { ...flowable('ForEach', ['tasks', ...WITH_ERRORS], all(required('values'), oneOf('values', ['list', 'string'], 'a list or an expression'), integer('concurrencyLimit', 0)), { requiredLists: ['tasks'] }), properties: ['values', 'tasks', 'concurrencyLimit', 'errors', 'finally'] },
  EachSequential: { ...flowable('EachSequential', ['tasks', ...WITH_ERRORS], all(required('value'), oneOf('value', ['list', 'string'], 'a list or an expression')), { requiredLists: ['tasks'] }), properties: ['value', 'tasks', 'errors', 'finally'] },
  EachParallel: { ...flowable('EachParallel', ['tasks', ...WITH_ERRORS], all(required('value'), oneOf('value', ['list', 'string'], 'a list or an expression'), integer('concurrent', 0)), { requiredLists: ['tasks'] }), properties: ['value', 'tasks', 'concurrent', 'errors', 'finally'] },
  Subflow: { ...flowable('Subflow', [], all(
    required('namespace', 'flowId'),
    oneOf('inputs', ['mapping'], 'a mapping of input names to values'),
    oneOf('wait', ['boolean'], 'true or false'),
    oneOf('transmitFailed', ['boolean'], 'true or false'),
    oneOf('inheritLabels', ['boolean'], 'true or false'),
    oneOf('labels', ['mapping', 'list'], 'a mapping or a list of { key, value }'),
    labelEntries,
    oneOf('outputs', ['mapping'], 'a mapping of names to expressions'),
    integer('revision', 1),
  )), properties: ['namespace', 'flowId', 'revision', 'inputs', 'labels', 'wait', 'transmitFailed', 'inheritLabels', 'outputs'], refusedProperties: { scheduleDate: 'a Subflow cannot schedule its child for later yet; start it now or use a Schedule trigger on the child flow' } },
  Pause: { ...flowable('Pause', ['tasks', ...WITH_ERRORS], all(duration('pauseDuration'), duration('delay'), oneOf('onResume', ['list'], 'a list of inputs'), onResumeInputs, pauseBehavior, refused({
    onPause: 'a task started while the execution is paused is not implemented (Kestra >= 0.22); run it right before the Pause',
  }))), properties: ['delay', 'pauseDuration', 'behavior', 'onResume', 'onPause', 'tasks', 'errors', 'finally'] },
  Sleep: { ...flowable('Sleep', [], all(required('duration'), duration('duration'))), properties: ['duration'] },
  // Chronicle's own (Cloudomation's sleep_until): waits until a date on a durable timer, like Sleep.
  SleepUntil: { ...flowable('SleepUntil', [], (p) => sleepUntilIssues(p)), fullName: 'io.chronicle.plugin.core.flow.SleepUntil', properties: ['date'] },
  // `tasks` is a list of `{ task, dependsOn }`: parsed by dag-tasks.parser.ts (cycles refused at deploy).
  Dag: { ...flowable('Dag', [...WITH_ERRORS], integer('concurrent', 0), { dag: true }), properties: ['tasks', 'concurrent', 'errors', 'finally'] },
  LoopUntil: { ...loopUntil('LoopUntil'), properties: ['condition', 'tasks', 'checkFrequency', 'failOnMaxReached', 'errors', 'finally'] },
  WaitFor: { ...loopUntil('WaitFor'), properties: ['condition', 'tasks', 'checkFrequency', 'failOnMaxReached', 'errors', 'finally'] },
  // Its folder is a map of files (working-directory.files.ts): `inputFiles` seed it, LocalFiles reads and writes it.
  WorkingDirectory: { ...flowable('WorkingDirectory', ['tasks', ...WITH_ERRORS], all(
    refused({
      cache: 'Chronicle keeps no files between executions: there is no cache to restore a folder from',
      namespaceFiles: 'copy namespace files into the folder with namespace.DownloadFiles, then LocalFiles with their URIs',
    }),
    oneOf('inputFiles', ['mapping', 'string'], 'a map of path: content (text or a kestra:// URI), or a JSON text of one'),
    oneOf('outputFiles', ['list'], 'a list of glob patterns'),
  ), { requiredLists: ['tasks'], runnableChildren: true }), properties: ['tasks', 'cache', 'inputFiles', 'outputFiles', 'namespaceFiles', 'errors', 'finally'] },
} as const satisfies Record<string, TaskTypeDefinition>;
