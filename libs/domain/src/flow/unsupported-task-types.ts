/**
 * Kestra core task types Chronicle leaves out on purpose: deploying a flow that names one fails
 * with the reason (README, "What a flow can do"), never with a bare "unknown task type".
 */
const CORE = 'io.kestra.plugin.core';

export const UNSUPPORTED_TASK_TYPES: Readonly<Record<string, string>> = {
  [`${CORE}.storage.LocalFiles`]:
    'it only makes sense inside a WorkingDirectory, whose tasks share a folder; Chronicle runs every task on its own: pass files between tasks as kestra:/// URIs (storage tasks, FILE inputs), or use namespace files',
  'io.kestra.core.tasks.storages.LocalFiles': 'see io.kestra.plugin.core.storage.LocalFiles',
};

/** Why a type is left out, or undefined when it is not one of those. */
export const unsupportedTaskReason = (typeName: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(UNSUPPORTED_TASK_TYPES, typeName) ? UNSUPPORTED_TASK_TYPES[typeName] : undefined;
