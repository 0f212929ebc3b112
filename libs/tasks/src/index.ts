export { TaskFailure, TaskKilled, type LogLevel, type RunnableTask, type TaskFailureCode, type TaskMetric, type TaskRunContext } from './runnable-task.js';
export type { TaskServices, TriggerToggles } from './task-services.js';
export { flowOf, servicesOf } from './task-context.js';
export { hostFetch, maskSecretValues, renderAtRunTime, withDeferredRendered } from './deferred-properties.js';
export { RUNNABLE_TASKS } from './runners.js';
