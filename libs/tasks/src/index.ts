export { TaskFailure, TaskKilled, type LogLevel, type RunnableTask, type TaskFailureCode, type TaskMetric, type TaskRunContext } from './runnable-task.js';
export type { TaskServices, TriggerToggles } from './task-services.js';
export { flowOf, servicesOf } from './task-context.js';
export { maskSecretValues, withDeferredRendered } from './deferred-properties.js';
export { runnerOf, TASK_CATALOG, TASK_TYPE_ENTRIES, taskTypeEntryOf, type TaskTypeEntry } from './catalog.js';
export type { TaskModule } from './task-module.js';
export { sendHttpRequest, type HttpExchange, type RequestProperties } from './http/http-exchange.js';
