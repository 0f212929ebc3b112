import { mayStartFlowIn, withinNamespace } from '@chronicle/domain';
import { TaskFailure, type RunnableTask, type TaskRunContext } from '../runnable-task.js';
import { flowOf, servicesOf } from '../task-context.js';
import { putTaskFile } from '../storage/storage-files.js';
import type { TaskModule } from '../task-module.js';
import { ioDefinition, LEVELS, levelList, oneOf, optional, required, string, stringList } from '../io-property-checks.js';

const optionalString = (context: TaskRunContext, name: string): string | undefined => {
  const value = context.job.properties[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new TaskFailure(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
};

/** A flow reaches the logs of its own namespace and its children, or of one CHRONICLE_NAMESPACE_ALLOW allows. */
const checkAllowed = (context: TaskRunContext, target: string): void => {
  const caller = flowOf(context).namespace;
  if (!mayStartFlowIn(caller, target, servicesOf(context).namespaceAllow ?? [])) {
    throw new TaskFailure(`a flow of namespace ${caller} may not reach the logs of namespace ${target}: only its own namespace, its children, or one allowed by CHRONICLE_NAMESPACE_ALLOW (e.g. ${caller}->${target})`);
  }
};

const logStore = (context: TaskRunContext) => {
  const logs = servicesOf(context).logs;
  if (!logs) throw new TaskFailure(`task type ${context.job.type} needs the logs, which this worker was not given`);
  return logs;
};

/**
 * `log.Fetch` (io.kestra.plugin.core.log.Fetch): an execution's log lines (this one by default; another
 * of this flow by `executionId`, of another flow with `namespace` and `flowId`), at `level` and above,
 * of `tasksId` only when given, into a file of the internal storage, one JSON line per log. Outputs
 * `uri` and `size` (the number of lines). Lines reach the logs table through the projection; Fetch
 * first waits until it passed a barrier published behind the execution's lines, so every line of
 * an earlier task is there (a task still running may write more, as in Kestra).
 */
export const fetchLogsTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const flow = flowOf(context);
  const executionId = optionalString(context, 'executionId') ?? context.job.executionId;
  const namespace = optionalString(context, 'namespace');
  const flowId = optionalString(context, 'flowId');
  const logs = logStore(context);
  let target = { id: executionId, namespace: flow.namespace, flowId: flow.flowId };
  if (executionId !== context.job.executionId) {
    checkAllowed(context, namespace ?? flow.namespace);
    const found = await logs.findExecution(executionId, namespace ?? flow.namespace, flowId ?? flow.flowId);
    if (!found) throw new TaskFailure(`execution ${executionId} does not exist in flow ${namespace ?? flow.namespace}.${flowId ?? flow.flowId}`);
    target = found;
  }
  const taskIds = Array.isArray(p.tasksId) ? p.tasksId.map(String) : undefined;
  // The lines earlier tasks wrote travel through the logs topic to the store: wait for them.
  const stored = await servicesOf(context).logsStored?.(executionId);
  if (stored === false) context.log('WARN', 'the log store had not caught up with this execution\'s lines after 30 s: the fetch may miss the latest');
  const lines = await logs.fetch(target, { minLevel: typeof p.level === 'string' ? p.level : 'INFO', ...(taskIds ? { taskIds } : {}) });
  // The lines keep the fetched execution's SECRET input values (its readers' answers hide them); its copy here must not.
  const secrets = (await servicesOf(context).secretValuesOf?.(executionId)) ?? [];
  const text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  // Each value as it reads in a JSON line (quotes and backslashes escaped).
  const hidden = secrets.flatMap((secret) => [JSON.stringify(secret).slice(1, -1), secret]);
  const uri = await putTaskFile(context, Buffer.from(hidden.reduce((t, secret) => t.split(secret).join('******'), text)), '.ion');
  return { uri, size: lines.length };
};

/** `log.PurgeLogs` (io.kestra.plugin.core.log.PurgeLogs): deletes log lines up to `endDate`; output `count`. */
export const purgeLogsTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const endDate = optionalString(context, 'endDate');
  if (endDate === undefined) throw new TaskFailure('endDate is required');
  const startDate = optionalString(context, 'startDate');
  for (const [name, value] of [['endDate', endDate], ['startDate', startDate]] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new TaskFailure(`${name} must be an ISO-8601 date-time, got ${JSON.stringify(value)}`);
  }
  // Unlike Kestra (every namespace when none is named), a flow purges its own namespace's logs unless allowed everywhere.
  const own = flowOf(context).namespace;
  const allowedEverywhere = (servicesOf(context).namespaceAllow ?? []).some((rule) => withinNamespace(own, rule.from) && rule.to === '*');
  const namespace = optionalString(context, 'namespace') ?? (allowedEverywhere ? undefined : own);
  if (namespace !== undefined) checkAllowed(context, namespace);
  const flowId = optionalString(context, 'flowId');
  const count = await logStore(context).purge({
    endDate, ...(startDate ? { startDate } : {}), ...(namespace ? { namespace } : {}), ...(flowId ? { flowId } : {}),
    ...(Array.isArray(p.logLevels) ? { levels: p.logLevels.map(String) } : {}),
  });
  return { count };
};

export const LOG_FETCH: TaskModule = {
  definition: ioDefinition('log.Fetch', 'io.kestra.plugin.core.log.Fetch', {
    namespace: optional(string), flowId: optional(string), executionId: optional(string), tasksId: optional(stringList), level: optional(oneOf(LEVELS)),
  }, { aliases: ['io.kestra.core.tasks.log.Fetch'] }),
  run: fetchLogsTask,
};
export const LOG_PURGE_LOGS: TaskModule = {
  definition: ioDefinition('log.PurgeLogs', 'io.kestra.plugin.core.log.PurgeLogs', {
    namespace: optional(string), flowId: optional(string), logLevels: optional(levelList), startDate: optional(string), endDate: required('endDate', string),
  }),
  run: purgeLogsTask,
};
