/**
 * The executor's own injection tokens, bound in executor.providers.ts. The ports it uses have the
 * platform's tokens (@chronicle/composition's port-tokens.ts), bound by PlatformModule.
 */
/** `TaskServices`: the ports a worker's tasks use (storage, KV, secrets, logs, executions). */
export const TASK_SERVICES = Symbol('TASK_SERVICES');
export const LOGGER = Symbol('EXECUTOR_LOGGER');
export const INSTANCE_ID = Symbol('EXECUTOR_INSTANCE_ID');
