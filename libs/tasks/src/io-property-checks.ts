import { propertyChecks, STATES, type JsonObject, type TaskPropertyIssue, type TaskTypeDefinition } from '@chronicle/domain';

/**
 * The building blocks of the I/O modules' property checks (kv/, storage/, namespace/, http/, log/,
 * state/, execution/, trigger/, templating/). Properties are checked before rendering: a value
 * holding an expression passes the checks only its rendered value could fail.
 */
export type Check = propertyChecks.Check;
export const { optional, required, string, boolean } = propertyChecks;

export const ISO_DURATION = /^P(?=[^T]|T.)(?:\d+(?:\.\d+)?D)?(?:T(?=.)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/i;
/** Micronaut's readable sizes as Kestra's Split reads them: `1024`, `10KB`, `5MB`, `1GB`. */
export const READABLE_BYTES = /^\s*(\d+)\s*([KMG]B)?\s*$/i;
export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

export const anyValue: Check = () => [];
export const stringList: Check = (v, path) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? [] : [{ path, message: 'must be a list of strings' }]);
export const levelList: Check = (v, path) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string' && (LEVELS as readonly string[]).includes(x)) ? [] : [{ path, message: `must be a list of levels (${LEVELS.join(', ')})` }];
export const flowList: Check = (v, path) =>
  Array.isArray(v) && v.every((f) => typeof f === 'object' && f !== null && !Array.isArray(f) && typeof f.namespace === 'string' && typeof f.flowId === 'string' && Object.keys(f).every((k) => k === 'namespace' || k === 'flowId'))
    ? [] : [{ path, message: 'must be a list of { namespace, flowId }' }];
/** Kestra's states; Exit's spelling CANCELED is read as CANCELLED. */
const EXECUTION_STATES: readonly string[] = [...STATES, 'CANCELED'];
export const stateList: Check = (v, path) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string' && EXECUTION_STATES.includes(x)) ? [] : [{ path, message: `must be a list of states (${EXECUTION_STATES.join(', ')})` }];
export const anyMap: Check = (v, path) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? [] : [{ path, message: 'must be a mapping of names to values' }]);
export const positiveInt: Check = (v, path) => (Number.isInteger(v) && (v as number) > 0 ? [] : [{ path, message: 'must be a positive integer' }]);
export const oneOf = (values: readonly string[]): Check => (v, path) => (typeof v === 'string' && values.includes(v) ? [] : [{ path, message: `must be one of ${values.join(', ')}` }]);
export const duration: Check = (v, path) => (typeof v === 'string' && ISO_DURATION.test(v) ? [] : [{ path, message: 'must be an ISO-8601 duration such as PT1H or P30D' }]);
export const bytes: Check = (v, path) => ((typeof v === 'string' && READABLE_BYTES.test(v)) || Number.isInteger(v) ? [] : [{ path, message: 'must be a size such as 1024, 10KB, 5MB or 1GB' }]);
export const stringOrList: Check = (v, path) =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')) ? [] : [{ path, message: 'must be a list of kestra:/// URIs (or an expression giving one as JSON)' }];
export const stringOrMap: Check = (v, path) =>
  typeof v === 'string' || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'))
    ? [] : [{ path, message: 'must be a map of namespace paths to kestra:/// URIs' }];

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

/** Exactly one of these properties is set (Split's bytes, partitions, rows). */
export const oneOfProperties = (names: readonly string[]) => (p: JsonObject): TaskPropertyIssue[] => {
  const present = names.filter((n) => p[n] !== undefined && p[n] !== null);
  return present.length === 1 ? [] : [{ path: [], message: `exactly one of ${names.join(', ')} is required${present.length > 1 ? `, got ${present.join(' and ')}` : ''}` }];
};

/**
 * The definition of a runnable type over the internal storage, the KV store or the logs: its job
 * carries the flow (`io`), its properties are `checks` (any other is refused).
 */
export const ioDefinition = (name: string, fullName: string, checks: Record<string, Check>, extra: Partial<TaskTypeDefinition> = {}, more?: (p: JsonObject) => TaskPropertyIssue[]): TaskTypeDefinition =>
  ({ name, fullName, kind: 'runnable', validate: validator(checks, more), io: {}, ...extra });
