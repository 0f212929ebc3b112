/**
 * Kestra's older names of its core task types (each class's `@Plugin(aliases = ...)`, e.g.
 * core/src/main/java/io/kestra/plugin/core/flow/Dag.java), still used by many flows and by
 * Kestra's own test flows: alias -> the current full name. A type Chronicle does not register
 * stays unknown under its alias too.
 */
export const KESTRA_TASK_ALIASES: Readonly<Record<string, string>> = {
  'io.kestra.core.tasks.debugs.Echo': 'io.kestra.plugin.core.debug.Echo',
  'io.kestra.core.tasks.debugs.Return': 'io.kestra.plugin.core.debug.Return',
  'io.kestra.core.tasks.executions.Counts': 'io.kestra.plugin.core.execution.Count',
  'io.kestra.core.tasks.executions.Fail': 'io.kestra.plugin.core.execution.Fail',
  'io.kestra.core.tasks.executions.Labels': 'io.kestra.plugin.core.execution.Labels',
  'io.kestra.core.tasks.flows.AllowFailure': 'io.kestra.plugin.core.flow.AllowFailure',
  'io.kestra.core.tasks.flows.Dag': 'io.kestra.plugin.core.flow.Dag',
  'io.kestra.core.tasks.flows.EachParallel': 'io.kestra.plugin.core.flow.EachParallel',
  'io.kestra.core.tasks.flows.EachSequential': 'io.kestra.plugin.core.flow.EachSequential',
  'io.kestra.core.tasks.flows.ForEachItem': 'io.kestra.plugin.core.flow.ForEachItem',
  'io.kestra.core.tasks.flows.If': 'io.kestra.plugin.core.flow.If',
  'io.kestra.core.tasks.flows.Parallel': 'io.kestra.plugin.core.flow.Parallel',
  'io.kestra.core.tasks.flows.Pause': 'io.kestra.plugin.core.flow.Pause',
  'io.kestra.core.tasks.flows.Sequential': 'io.kestra.plugin.core.flow.Sequential',
  'io.kestra.core.tasks.flows.Switch': 'io.kestra.plugin.core.flow.Switch',
  'io.kestra.core.tasks.flows.Template': 'io.kestra.plugin.core.flow.Template',
  'io.kestra.core.tasks.flows.Subflow': 'io.kestra.plugin.core.flow.Subflow',
  'io.kestra.core.tasks.flows.Flow': 'io.kestra.plugin.core.flow.Subflow',
  'io.kestra.core.tasks.flows.WorkingDirectory': 'io.kestra.plugin.core.flow.WorkingDirectory',
  'io.kestra.core.tasks.flows.Worker': 'io.kestra.plugin.core.flow.WorkingDirectory',
  'io.kestra.core.tasks.log.Fetch': 'io.kestra.plugin.core.log.Fetch',
  'io.kestra.core.tasks.log.Log': 'io.kestra.plugin.core.log.Log',
  'io.kestra.core.tasks.states.Delete': 'io.kestra.plugin.core.state.Delete',
  'io.kestra.core.tasks.states.Get': 'io.kestra.plugin.core.state.Get',
  'io.kestra.core.tasks.states.Set': 'io.kestra.plugin.core.state.Set',
  'io.kestra.core.tasks.storages.Concat': 'io.kestra.plugin.core.storage.Concat',
  'io.kestra.core.tasks.storages.DeduplicateItems': 'io.kestra.plugin.core.storage.DeduplicateItems',
  'io.kestra.core.tasks.storages.Delete': 'io.kestra.plugin.core.storage.Delete',
  'io.kestra.core.tasks.storages.FilterItems': 'io.kestra.plugin.core.storage.FilterItems',
  'io.kestra.core.tasks.storages.LocalFiles': 'io.kestra.plugin.core.storage.LocalFiles',
  'io.kestra.core.tasks.storages.Reverse': 'io.kestra.plugin.core.storage.Reverse',
  'io.kestra.core.tasks.storages.Size': 'io.kestra.plugin.core.storage.Size',
  'io.kestra.core.tasks.storages.Split': 'io.kestra.plugin.core.storage.Split',
  'io.kestra.core.tasks.templating.TemplatedTask': 'io.kestra.plugin.core.templating.TemplatedTask',
  'io.kestra.plugin.fs.http.Download': 'io.kestra.plugin.core.http.Download',
  'io.kestra.plugin.fs.http.Request': 'io.kestra.plugin.core.http.Request',
};
