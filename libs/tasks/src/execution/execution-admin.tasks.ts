import { mayStartFlowIn, withinNamespace, type JsonObject, type JsonValue, type State, type TaskPropertyIssue } from '@chronicle/domain';
import { renderAtRunTime } from '../deferred-properties.js';
import { TaskFailure, type RunnableTask, type TaskRunContext } from '../runnable-task.js';
import { flowOf, servicesOf } from '../task-context.js';
import type { TaskModule } from '../task-module.js';
import { boolean, flowList, ioDefinition, optional, required, stateList, string, stringList } from '../io-property-checks.js';

/**
 * Kestra's execution.Count and execution.PurgeExecutions (Count.java, PurgeExecutions.java). Both
 * reach other executions, so both check the namespaces they name as Kestra's FlowService does:
 * the flow's own namespace and its children always, another only when CHRONICLE_NAMESPACE_ALLOW
 * allows it (`caller->target`), never another one by default.
 */

const executionsOf = (context: TaskRunContext) => {
  const executions = servicesOf(context).executions;
  if (!executions) throw new TaskFailure(`task type ${context.job.type} needs the executions, which this worker was not given`);
  return executions;
};

const checkAllowed = (context: TaskRunContext, target: string): void => {
  const caller = flowOf(context).namespace;
  if (!mayStartFlowIn(caller, target, servicesOf(context).namespaceAllow ?? [])) {
    throw new TaskFailure(`a flow of namespace ${caller} may not reach the executions of namespace ${target}: only its own namespace, its children, or one allowed by CHRONICLE_NAMESPACE_ALLOW (e.g. ${caller}->${target})`);
  }
};

const dateProperty = (p: JsonObject, name: string, required: boolean): string | undefined => {
  const value = p[name];
  if (value === undefined || value === null) {
    if (required) throw new TaskFailure(`${name} is required`);
    return undefined;
  }
  // Java's ZonedDateTime.parse (Kestra's) also reads a zone id after the offset: `...+01:00[Europe/Paris]`.
  const text = typeof value === 'string' ? value.replace(/\[[^\]]+\]$/, '') : '';
  if (typeof value !== 'string' || Number.isNaN(Date.parse(text))) throw new TaskFailure(`${name} must be an ISO-8601 date-time, got ${JSON.stringify(value)}`);
  return new Date(text).toISOString();
};

const stringProperty = (p: JsonObject, name: string): string | undefined => {
  const value = p[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new TaskFailure(`${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
};

const flagProperty = (p: JsonObject, name: string): boolean => {
  const value = p[name];
  if (value === undefined || value === null) return true;
  if (typeof value !== 'boolean') throw new TaskFailure(`${name} must be true or false, got ${JSON.stringify(value)}`);
  return value;
};

/** Kestra spells the state CANCELLED; Exit's CANCELED is accepted too. */
const statesProperty = (p: JsonObject): State[] | undefined =>
  Array.isArray(p.states) ? p.states.map((s) => (String(s) === 'CANCELED' ? 'CANCELLED' : String(s)) as State) : undefined;

const flowsProperty = (value: JsonValue | undefined): { namespace: string; flowId: string }[] | undefined => {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new TaskFailure(`flows must be a list of { namespace, flowId }, got ${JSON.stringify(value)}`);
  return value.map((f, i) => {
    if (typeof f !== 'object' || f === null || Array.isArray(f) || typeof f.namespace !== 'string' || typeof f.flowId !== 'string') {
      throw new TaskFailure(`flows[${i}] must be { namespace, flowId }, got ${JSON.stringify(f)}`);
    }
    return { namespace: f.namespace, flowId: f.flowId };
  });
};

/**
 * `Count`: executions started between `startDate` and `endDate` (default now), of `states` when
 * given, per flow of `flows` (0 when it has none) and per namespace of `namespaces`; each row kept
 * when `expression`, rendered with its `count`, gives `true`. Outputs `results` and `total`.
 */
export const countTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const flows = flowsProperty(p.flows);
  const namespaces = Array.isArray(p.namespaces) ? p.namespaces.map(String) : undefined;
  if (flows === undefined && namespaces === undefined) throw new TaskFailure('You must provide a list of flows or namespaces');
  for (const f of flows ?? []) checkAllowed(context, f.namespace);
  for (const namespace of namespaces ?? []) checkAllowed(context, namespace);
  const expression = p.expression;
  if (typeof expression !== 'string') throw new TaskFailure('expression is required (an expression such as "{{ count == 0 }}")');
  const startDate = dateProperty(p, 'startDate', true)!;
  const endDate = dateProperty(p, 'endDate', false) ?? new Date(servicesOf(context).now()).toISOString();
  const states = statesProperty(p);
  const counts = await executionsOf(context).count({ ...(flows ? { flows } : {}), ...(namespaces ? { namespaces } : {}), ...(states ? { states } : {}), startDate, endDate });
  context.log('TRACE', `${counts.length} flows matching filters`);
  const results: JsonObject[] = [];
  for (const row of counts) {
    let rendered: JsonValue;
    try {
      rendered = await renderAtRunTime(context.job, context.services, expression, { count: row.count });
    } catch (error) {
      throw new TaskFailure(`expression ${JSON.stringify(expression)}: ${(error as Error).message}`, { cause: error });
    }
    if (String(rendered) === 'true') results.push({ namespace: row.namespace, ...(row.flowId !== null ? { flowId: row.flowId } : {}), count: row.count });
  }
  context.log('DEBUG', `${results.length} flows matching the expression`);
  return { results, total: results.reduce((sum, r) => sum + Number(r.count), 0) };
};

/**
 * `PurgeExecutions`: the executions that ended by `endDate` (and started from `startDate`), of
 * `states` when given, in `namespace` (with `flowId`: that flow; without: the namespace and its
 * children); their executions, logs and files as the flags say. Without `namespace`, Kestra
 * purges every namespace; Chronicle then purges the flow's own namespace (and children) unless
 * CHRONICLE_NAMESPACE_ALLOW gives the flow `*`. A live execution (this one included) is never
 * purged. Outputs `executionsCount`, `logsCount`, `storagesCount`, `metricsCount`.
 */
export const purgeExecutionsTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const own = flowOf(context).namespace;
  const namespace = stringProperty(p, 'namespace');
  const flowId = stringProperty(p, 'flowId');
  if (flowId !== undefined && namespace === undefined) throw new TaskFailure('flowId needs namespace: the namespace of the flow to purge');
  if (namespace !== undefined && namespace !== own) checkAllowed(context, namespace);
  const allowedEverywhere = (servicesOf(context).namespaceAllow ?? []).some((rule) => withinNamespace(own, rule.from) && rule.to === '*');
  const endDate = dateProperty(p, 'endDate', true)!;
  const startDate = dateProperty(p, 'startDate', false);
  const states = statesProperty(p);
  // Refused at deploy too (EXECUTION_PURGE_EXECUTIONS below): metrics live in their execution's history.
  if (flagProperty(p, 'purgeMetric') !== flagProperty(p, 'purgeExecution')) throw new TaskFailure('purgeMetric must equal purgeExecution: a task\'s metrics are kept in its execution\'s history and purged with it');
  try {
    return { ...(await executionsOf(context).purge({
      namespaces: namespace !== undefined ? [namespace] : allowedEverywhere ? 'all' : [own],
      ...(flowId !== undefined ? { flowId } : {}),
      ...(startDate !== undefined ? { startDate } : {}),
      endDate,
      ...(states ? { states } : {}),
      purgeExecution: flagProperty(p, 'purgeExecution'),
      purgeLog: flagProperty(p, 'purgeLog'),
      purgeMetric: flagProperty(p, 'purgeMetric'),
      purgeStorage: flagProperty(p, 'purgeStorage'),
      now: servicesOf(context).now(),
      actor: `execution:${context.job.executionId}`,
    })) };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('only ended executions')) throw new TaskFailure(error.message);
    throw error;
  }
};

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

// Count renders its `expression` per flow, with the flow's `count` (Count.java).
export const EXECUTION_COUNT: TaskModule = {
  definition: ioDefinition('execution.Count', 'io.kestra.plugin.core.execution.Count', {
    flows: optional(flowList), namespaces: optional(stringList), states: optional(stateList), startDate: required('startDate', string), endDate: optional(string),
    expression: required('expression', string),
  }, { io: { rawProperties: ['expression'], renderContext: true } }),
  run: countTask,
};
export const EXECUTION_PURGE_EXECUTIONS: TaskModule = {
  definition: ioDefinition('execution.PurgeExecutions', 'io.kestra.plugin.core.execution.PurgeExecutions', {
    namespace: optional(string), flowId: optional(string), startDate: optional(string), endDate: required('endDate', string), states: optional(stateList),
    purgeExecution: optional(boolean), purgeLog: optional(boolean), purgeMetric: optional(boolean), purgeStorage: optional(boolean),
  }, {}, metricsGoWithTheirExecution),
  run: purgeExecutionsTask,
};
