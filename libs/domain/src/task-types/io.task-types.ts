import type { JsonObject, JsonValue } from '../shared/json.js';
import type { TaskPropertyIssue, TaskTypeDefinition } from './task-type-definition.js';
import { boolean, optional, required, string, type Check } from './property-checks.js';
import { STATES } from '../execution/state.js';
import { httpOptionsCheck, REFUSED_HTTP_OPTIONS, SSL_OPTIONS_REASON } from './http-options.js';

/**
 * Kestra's core tasks over the internal storage and the KV store (the worker implements them in
 * libs/tasks/src/{kv,storage,namespace,http,log,state,execution,trigger}). Properties are checked before rendering: a value
 * holding an expression passes the checks only its rendered value could fail.
 */
const ISO_DURATION = /^P(?=[^T]|T.)(?:\d+(?:\.\d+)?D)?(?:T(?=.)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/i;
export const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;
/** Micronaut's readable sizes as Kestra's Split reads them: `1024`, `10KB`, `5MB`, `1GB`. */
export const READABLE_BYTES = /^\s*(\d+)\s*([KMG]B)?\s*$/i;

const anyValue: Check = () => [];
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
/** http.Download's `options`: `readTimeout` bounds the whole download (and Chronicle's `allowFailed`); see http-options.ts. */
const downloadOptions: Check = httpOptionsCheck({
  readTimeout: (v, path) => (typeof v === 'string' && ISO_DURATION.test(v) ? [] : [{ path, message: 'must be an ISO-8601 duration such as PT10S' }]),
  allowFailed: (v, path) => (typeof v === 'boolean' ? [] : [{ path, message: 'must be true or false' }]),
}, {
  ...REFUSED_HTTP_OPTIONS,
  connectTimeout: 'http.Download bounds the whole download with readTimeout (and the task\'s timeout), not the connection alone',
  maxContentLength: `http.Download stores at most 256 MiB, Chronicle's fixed limit`,
});
const sslOptions: Check = (v, path) => (v === undefined || v === null ? [] : [{ path, message: `"sslOptions" is not supported by Chronicle: ${SSL_OPTIONS_REASON}` }]);
const stringList: Check = (v, path) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? [] : [{ path, message: 'must be a list of strings' }]);
const levelList: Check = (v, path) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string' && (LEVELS as readonly string[]).includes(x)) ? [] : [{ path, message: `must be a list of levels (${LEVELS.join(', ')})` }];
const flowList: Check = (v, path) =>
  Array.isArray(v) && v.every((f) => typeof f === 'object' && f !== null && !Array.isArray(f) && typeof f.namespace === 'string' && typeof f.flowId === 'string' && Object.keys(f).every((k) => k === 'namespace' || k === 'flowId'))
    ? [] : [{ path, message: 'must be a list of { namespace, flowId }' }];
/** Kestra's states; Exit's spelling CANCELED is read as CANCELLED. */
const EXECUTION_STATES: readonly string[] = [...STATES, 'CANCELED'];
const stateList: Check = (v, path) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string' && EXECUTION_STATES.includes(x)) ? [] : [{ path, message: `must be a list of states (${EXECUTION_STATES.join(', ')})` }];
const anyMap: Check = (v, path) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? [] : [{ path, message: 'must be a mapping of names to values' }]);
const positiveInt: Check = (v, path) => (Number.isInteger(v) && (v as number) > 0 ? [] : [{ path, message: 'must be a positive integer' }]);
const oneOf = (values: readonly string[]): Check => (v, path) => (typeof v === 'string' && values.includes(v) ? [] : [{ path, message: `must be one of ${values.join(', ')}` }]);
const duration: Check = (v, path) => (typeof v === 'string' && ISO_DURATION.test(v) ? [] : [{ path, message: 'must be an ISO-8601 duration such as PT1H or P30D' }]);
const bytes: Check = (v, path) => ((typeof v === 'string' && READABLE_BYTES.test(v)) || Number.isInteger(v) ? [] : [{ path, message: 'must be a size such as 1024, 10KB, 5MB or 1GB' }]);
const stringOrList: Check = (v, path) =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')) ? [] : [{ path, message: 'must be a list of kestra:/// URIs (or an expression giving one as JSON)' }];

/** Kestra's Task base properties (Task.java) and pluginDefaults' reference: the engine's, checked elsewhere. */
const BASE_PROPERTIES = new Set(['id', 'type', 'version', 'description', 'retry', 'timeout', 'disabled', 'workerGroup', 'logLevel', 'allowFailure', 'logToFile', 'runIf', 'when', 'allowWarning', 'taskCache', 'pluginDefaultsRef']);

/**
 * Checks the named properties (and, with `more`, how they combine), and refuses any other: a misspelt
 * `tll:` must be a deploy error, not a value silently never set.
 */
const validator = (checks: Record<string, Check>, more: (p: JsonObject) => TaskPropertyIssue[] = () => []) => (properties: JsonObject): TaskPropertyIssue[] => [
  ...Object.keys(properties)
    .filter((name) => !(name in checks) && !BASE_PROPERTIES.has(name))
    .map((name) => ({ path: [name], message: `unknown property "${name}"; this task type has ${Object.keys(checks).join(', ') || 'no properties of its own'}` })),
  ...Object.entries(checks).flatMap(([name, check]) => check(properties[name], [name])),
  ...more(properties),
];

const oneOfProperties = (names: readonly string[]) => (p: JsonObject): TaskPropertyIssue[] => {
  const present = names.filter((n) => p[n] !== undefined && p[n] !== null);
  return present.length === 1 ? [] : [{ path: [], message: `exactly one of ${names.join(', ')} is required${present.length > 1 ? `, got ${present.join(' and ')}` : ''}` }];
};

const io = { io: {} } as const;
const STATE: Record<string, Check> = { name: optional(string), namespace: optional(boolean), taskrunValue: optional(boolean) };
const def = (name: string, fullName: string, checks: Record<string, Check>, extra: Partial<TaskTypeDefinition> = {}, more?: (p: JsonObject) => TaskPropertyIssue[]) =>
  ({ name, fullName, kind: 'runnable', validate: validator(checks, more), ...io, ...extra }) as const satisfies TaskTypeDefinition;

/**
 * PurgeExecutions' `purgeMetric` (default true, as `purgeExecution`): Kestra keeps metrics in their own
 * repository and purges them apart (ExecutionService.purge). Chronicle keeps a task's metrics with its
 * attempt, in the execution's event history and read model, so they are purged with the execution and
 * only with it: a flow asking for one without the other is refused rather than told a lie.
 */
const metricsGoWithTheirExecution = (p: JsonObject): TaskPropertyIssue[] => {
  const flag = (name: string) => (typeof p[name] === 'boolean' ? p[name] : true);
  return flag('purgeMetric') === flag('purgeExecution') ? [] : [{
    path: ['purgeMetric'],
    message: `purgeMetric ${String(flag('purgeMetric'))} with purgeExecution ${String(flag('purgeExecution'))} is not supported by Chronicle: a task's metrics are kept in its execution's history, so they are purged with the execution and only with it; give purgeMetric the value of purgeExecution (both default to true)`,
  }];
};

const KV = 'io.kestra.plugin.core.kv';
const NSF = 'io.kestra.plugin.core.namespace';
const CONFLICTS = ['OVERWRITE', 'ERROR', 'SKIP'] as const;
const stringOrMap: Check = (v, path) =>
  typeof v === 'string' || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'))
    ? [] : [{ path, message: 'must be a map of namespace paths to kestra:/// URIs' }];
/** UploadFiles' `files` globs a working directory, which Chronicle's tasks do not have. */
const noWorkingDirectory: Check = (v, path) => (v === undefined || v === null ? [] : [{
  path, message: 'is not supported by Chronicle: it reads a WorkingDirectory, which Chronicle\'s tasks do not share; pass kestra:/// URIs in filesMap',
}]);
const ST = 'io.kestra.plugin.core.storage';
const OLD_ST = 'io.kestra.core.tasks.storages';

export const IO_TASK_TYPES = {
  'kv.Set': def('kv.Set', `${KV}.Set`, {
    key: required('key', string), value: required('value', anyValue), namespace: optional(string), overwrite: optional(boolean), ttl: optional(duration), kvType: optional(oneOf(KV_TYPES)),
  }),
  'kv.Get': def('kv.Get', `${KV}.Get`, { key: required('key', string), namespace: optional(string), errorOnMissing: optional(boolean) }),
  'kv.GetKeys': def('kv.GetKeys', `${KV}.GetKeys`, { prefix: optional(string), namespace: optional(string) }),
  'kv.Delete': def('kv.Delete', `${KV}.Delete`, { key: required('key', string), namespace: optional(string), errorOnMissing: optional(boolean) }),
  'storage.Write': def('storage.Write', `${ST}.Write`, { content: required('content', anyValue), extension: optional(string) }),
  'storage.Concat': def('storage.Concat', `${ST}.Concat`, { files: required('files', stringOrList), separator: optional(string), extension: optional(string) }, { aliases: [`${OLD_ST}.Concat`] }),
  'storage.Split': def(
    'storage.Split', `${ST}.Split`,
    { from: required('from', string), bytes: optional(bytes), partitions: optional(positiveInt), rows: optional(positiveInt), separator: optional(string) },
    { aliases: [`${OLD_ST}.Split`] },
    oneOfProperties(['bytes', 'partitions', 'rows']),
  ),
  'storage.Size': def('storage.Size', `${ST}.Size`, { uri: required('uri', string) }, { aliases: [`${OLD_ST}.Size`] }),
  'storage.Delete': def('storage.Delete', `${ST}.Delete`, { uri: required('uri', string), errorOnMissing: optional(boolean) }, { aliases: [`${OLD_ST}.Delete`] }),
  'storage.Reverse': def('storage.Reverse', `${ST}.Reverse`, { from: required('from', string), separator: optional(string), charset: optional(string) }, { aliases: [`${OLD_ST}.Reverse`] }),
  'storage.DeduplicateItems': def('storage.DeduplicateItems', `${ST}.DeduplicateItems`, { from: required('from', string), expr: required('expr', string) }, {
    aliases: [`${OLD_ST}.DeduplicateItems`], io: { rawProperties: ['expr'] },
  }),
  'storage.FilterItems': def('storage.FilterItems', `${ST}.FilterItems`, {
    from: required('from', string), filterCondition: required('filterCondition', string), filterType: optional(oneOf(['INCLUDE', 'EXCLUDE'])),
    errorOrNullBehavior: optional(oneOf(['FAIL', 'INCLUDE', 'EXCLUDE'])),
  }, { aliases: [`${OLD_ST}.FilterItems`], io: { rawProperties: ['filterCondition'] } }),
  'storage.PurgeCurrentExecutionFiles': def('storage.PurgeCurrentExecutionFiles', `${ST}.PurgeCurrentExecutionFiles`, {}, {
    aliases: [`${OLD_ST}.PurgeExecution`, `${ST}.PurgeExecution`],
  }),
  'namespace.UploadFiles': def('namespace.UploadFiles', `${NSF}.UploadFiles`, {
    namespace: required('namespace', string), files: noWorkingDirectory, filesMap: required('filesMap', stringOrMap), destination: optional(string), conflict: optional(oneOf(CONFLICTS)),
  }),
  'namespace.DownloadFiles': def('namespace.DownloadFiles', `${NSF}.DownloadFiles`, { namespace: required('namespace', string), files: required('files', stringOrList), destination: optional(string) }),
  'namespace.DeleteFiles': def('namespace.DeleteFiles', `${NSF}.DeleteFiles`, { namespace: required('namespace', string), files: required('files', stringOrList) }),
  'http.Download': def('http.Download', 'io.kestra.plugin.core.http.Download', {
    uri: required('uri', string), method: optional(oneOf(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])), headers: optional(anyMap), body: optional(string),
    // AbstractHttp's: sent as Request sends them (url-encoded, or multipart when contentType says so).
    formData: optional(anyMap), contentType: optional(string),
    allowFailed: optional(boolean), failOnEmptyResponse: optional(boolean), options: optional(downloadOptions), sslOptions,
  }, { aliases: ['io.kestra.plugin.fs.http.Download'] }),
  'log.Fetch': def('log.Fetch', 'io.kestra.plugin.core.log.Fetch', {
    namespace: optional(string), flowId: optional(string), executionId: optional(string), tasksId: optional(stringList), level: optional(oneOf(LEVELS)),
  }, { aliases: ['io.kestra.core.tasks.log.Fetch'] }),
  'log.PurgeLogs': def('log.PurgeLogs', 'io.kestra.plugin.core.log.PurgeLogs', {
    namespace: optional(string), flowId: optional(string), logLevels: optional(levelList), startDate: optional(string), endDate: required('endDate', string),
  }),
  // Count renders its `expression` per flow, with the flow's `count` (Count.java).
  'execution.Count': def('execution.Count', 'io.kestra.plugin.core.execution.Count', {
    flows: optional(flowList), namespaces: optional(stringList), states: optional(stateList), startDate: required('startDate', string), endDate: optional(string),
    expression: required('expression', string),
  }, { io: { rawProperties: ['expression'], renderContext: true } }),
  // Assert (Kestra >= 0.22, Assert.java): the worker renders each condition; any falsy one fails the task.
  'execution.Assert': def('execution.Assert', 'io.kestra.plugin.core.execution.Assert', {
    conditions: required('conditions', stringList), errorMessage: optional(string),
  }, { io: { rawProperties: ['conditions'], renderContext: true } }),
  'execution.PurgeExecutions': def('execution.PurgeExecutions', 'io.kestra.plugin.core.execution.PurgeExecutions', {
    namespace: optional(string), flowId: optional(string), startDate: optional(string), endDate: required('endDate', string), states: optional(stateList),
    purgeExecution: optional(boolean), purgeLog: optional(boolean), purgeMetric: optional(boolean), purgeStorage: optional(boolean),
  }, {}, metricsGoWithTheirExecution),
  // State tasks read the task run's loop value: their job carries the dispatch's variables.
  'state.Set': def('state.Set', 'io.kestra.plugin.core.state.Set', { ...STATE, data: optional(anyMap) }, { aliases: ['io.kestra.core.tasks.states.Set'], io: { renderContext: true } }),
  'state.Get': def('state.Get', 'io.kestra.plugin.core.state.Get', { ...STATE, errorOnMissing: optional(boolean) }, { aliases: ['io.kestra.core.tasks.states.Get'], io: { renderContext: true } }),
  'state.Delete': def('state.Delete', 'io.kestra.plugin.core.state.Delete', { ...STATE, errorOnMissing: optional(boolean) }, { aliases: ['io.kestra.core.tasks.states.Delete'], io: { renderContext: true } }),
  // The spec is rendered at dispatch; its task is checked and run by the worker (templated-task.ts).
  'templating.TemplatedTask': def('templating.TemplatedTask', 'io.kestra.plugin.core.templating.TemplatedTask', { spec: required('spec', string) }, {
    aliases: ['io.kestra.core.tasks.templating.TemplatedTask'], io: { renderContext: true },
  }),
  // Enables or disables a trigger of a flow (default: the task's own) at run time; `enabled` defaults to false (Toggle.java).
  'trigger.Toggle': def('trigger.Toggle', 'io.kestra.plugin.core.trigger.Toggle', {
    trigger: required('trigger', string), enabled: optional(boolean), namespace: optional(string), flowId: optional(string),
  }, { aliases: ['io.kestra.core.tasks.trigger.Toggle'] }),
  // Writes `inputs` into its WorkingDirectory's folder and captures `outputs` globs from it (working-directory.files.ts).
  'storage.LocalFiles': def('storage.LocalFiles', `${ST}.LocalFiles`, { inputs: optional(stringOrMap), outputs: optional(stringList) }, { aliases: [`${OLD_ST}.LocalFiles`] }),
} as const satisfies Record<string, TaskTypeDefinition>;

