import { FlowValidationError, parseFlow } from '@chronicle/domain';
import { TASK_CATALOG } from '../catalog.js';

/** The deploy-time issues of a flow parsed with the full catalog, as `path: message` (none when it deploys). */
export const issuesOf = (source: string): string[] => {
  try {
    parseFlow(source, TASK_CATALOG);
    return [];
  } catch (error) {
    if (error instanceof FlowValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
};

/** The FlowValidationError message of a flow whose one task is `task` (YAML of its keys but `id`), '' when it deploys. */
export const taskIssues = (task: string): string => {
  try {
    parseFlow(`id: f\nnamespace: n\ntasks:\n  - id: t\n${task.split('\n').map((l) => `    ${l}`).join('\n')}\n`, TASK_CATALOG);
    return '';
  } catch (error) {
    if (error instanceof FlowValidationError) return error.message;
    throw error;
  }
};

/** The issues of one task type's own `validate`, as `path: message`. */
export const propertyIssues = (type: string, properties: Record<string, unknown>): string[] =>
  TASK_CATALOG.find(type)!.validate(properties as never).map((i) => `${i.path.join('.')}: ${i.message}`);
