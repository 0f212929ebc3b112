/**
 * What Chronicle does with each property of Kestra's flow and task base classes. The parser
 * refuses a `refused` property with its reason (a deploy error at its line, never ignored);
 * `kestra-base-properties.unit.spec.ts` checks that every field of Kestra's base classes (listed
 * from Kestra's source in its fixture) is here and behaves as stated.
 *
 * - `implemented`: the engine acts on it as Kestra does.
 * - `accepted`: parsed and checked, kept on the definition, with no effect on how Chronicle runs
 *   (the reason says why that is what Kestra's behaviour amounts to here).
 * - `refused`: a deploy error, with the reason as its message.
 * - `conditional`: accepted with some values, refused with others (the reason says which).
 */
export type PropertySupport =
  | { readonly status: 'implemented' }
  | { readonly status: 'accepted' | 'refused' | 'conditional'; readonly reason: string };

const implemented: PropertySupport = { status: 'implemented' };

/** Properties every task accepts (Kestra's `Task`), besides those of its own type. */
export const TASK_BASE_PROPERTIES: Readonly<Record<string, PropertySupport>> = {
  id: implemented,
  type: implemented,
  description: implemented,
  retry: implemented,
  timeout: implemented,
  disabled: implemented,
  allowFailure: implemented,
  allowWarning: implemented,
  runIf: implemented,
  // Kestra 1.x's name for `runIf` (TaskWithWhenTest, task-when.yml): the same expression.
  when: implemented,
  logLevel: implemented,
  workerGroup: {
    status: 'refused',
    // Kestra's FlowValidator in its open-source edition: `tasks[0].workerGroup: Worker Group is an Enterprise Edition functionality`.
    reason: 'Worker Group is an Enterprise Edition functionality, refused by Kestra\'s open-source edition too; Chronicle runs every task in one worker pool',
  },
  // Newer Kestra (0.22+): a plugin version pin, and the task output cache.
  version: {
    status: 'accepted',
    reason: 'Chronicle has one version of each core task: a version pin is checked to be a string and kept',
  },
  taskCache: {
    status: 'refused',
    reason: 'task output caching is not supported yet: every run executes the task',
  },
  logToFile: implemented,
  // Chronicle's own (Cloudomation's named locks): see lock-names.ts.
  locks: implemented,
};

/** Top-level flow properties (Kestra's `AbstractFlow` and `Flow`, and what newer Kestra added). */
export const FLOW_PROPERTIES: Readonly<Record<string, PropertySupport>> = {
  id: implemented,
  namespace: implemented,
  revision: { status: 'accepted', reason: 'the revision is assigned by the flow store on deploy; a revision in the source is ignored, as Kestra does' },
  description: implemented,
  labels: implemented,
  inputs: implemented,
  outputs: implemented,
  variables: implemented,
  tasks: implemented,
  errors: implemented,
  finally: implemented,
  triggers: implemented,
  pluginDefaults: implemented,
  taskDefaults: implemented,
  concurrency: implemented,
  retry: implemented,
  disabled: implemented,
  timeout: implemented,
  priority: implemented,
  sla: implemented,
  // Chronicle's own (Cloudomation's named locks, savepoints and wrappers), not Kestra's: see lock-names.ts, savepoint-retention.parser.ts, wrappers.parser.ts.
  locks: implemented,
  savepointRetention: implemented,
  wrappers: implemented,
  afterExecution: implemented,
  listeners: {
    status: 'refused',
    reason: 'listeners were removed from Kestra (deprecated since 0.12); use `errors`, `finally` or a Flow trigger',
  },
  deleted: {
    status: 'conditional',
    reason: 'deleted: true cannot be deployed: delete a flow through the API',
  },
  tenantId: {
    status: 'refused',
    reason: 'Chronicle has no tenants; namespaces and API token scopes separate teams',
  },
};

export const supportOf = (table: Readonly<Record<string, PropertySupport>>, name: string): PropertySupport | undefined =>
  Object.hasOwn(table, name) ? table[name] : undefined;
