export { TaskFailure, TaskKilled, type LogLevel, type RunnableTask, type TaskFailureCode, type TaskMetric, type TaskRunContext } from './runnable-task.js';
export type { TaskServices, TriggerToggles } from './task-services.js';
export { flowOf, servicesOf } from './task-context.js';
export { maskSecretValues, withDeferredRendered } from './deferred-properties.js';
export { runnerOf, TASK_MODULES, taskModuleOf, type TaskModule } from './registry.js';
