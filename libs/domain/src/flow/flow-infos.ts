import type { FlowDefinition, TaskDefinition } from './flow.model.js';
import { KESTRA_TASK_ALIASES } from '../task-types/aliases.js';

/**
 * What Kestra's flow validation tells about a valid flow besides its problems (FlowController.validateFlows,
 * `infos`): each task written under an older name of its type, `<alias> is replaced by <current name>`.
 */
export const flowInfos = (flow: FlowDefinition): string[] => {
  const infos: string[] = [];
  const visit = (tasks: readonly TaskDefinition[] | undefined): void => {
    for (const task of tasks ?? []) {
      const current = KESTRA_TASK_ALIASES[task.typeName];
      if (current !== undefined) infos.push(`${task.typeName} is replaced by ${current}`);
      for (const list of Object.values(task.lists ?? {})) visit(list);
      for (const list of Object.values(task.cases ?? {})) visit(list);
    }
  };
  visit(flow.tasks);
  visit(flow.errors);
  visit(flow.finally);
  visit(flow.afterExecution);
  return infos;
};
