import { parse, stringify } from 'yaml';
import type { TaskDefinition } from '../flow/flow.model.js';
import { parseFlow } from '../flow/flow.parser.js';
import { FlowValidationError } from '../flow/flow-validation.error.js';
import type { TaskCatalog } from './task-catalog.js';

/** Kestra's TemplatedTask names (the task a spec must not be). */
const TEMPLATED = ['templating.TemplatedTask', 'io.kestra.plugin.core.templating.TemplatedTask', 'io.kestra.core.tasks.templating.TemplatedTask'];
/** Control properties the engine applies to the TemplatedTask itself, never to the task of its spec. */
const CONTROL = ['retry', 'timeout', 'allowFailure', 'allowWarning', 'disabled', 'runIf', 'when', 'logLevel', 'logToFile', 'workerGroup'];

/**
 * The task a TemplatedTask's rendered `spec` describes (TemplatedTask.java), checked as a flow's task
 * is at deploy: known runnable type, valid properties. Pure: the worker calls it at run time, where
 * the spec is known. An error is the message the task run fails with.
 */
export function parseTemplatedTask(spec: string, taskId: string, taskTypes: TaskCatalog): { readonly task: TaskDefinition } | { readonly error: string } {
  let raw: unknown;
  try {
    raw = parse(spec);
  } catch (error) {
    return { error: `the rendered spec is not YAML: ${(error as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'the rendered spec must be a mapping with a type and its properties' };
  const spec$ = raw as Record<string, unknown>;
  if (typeof spec$.type === 'string' && TEMPLATED.includes(spec$.type)) return { error: "The templated task cannot be of type 'io.kestra.plugin.core.templating.TemplatedTask'" };
  const controls = CONTROL.filter((k) => k in spec$);
  if (controls.length > 0) return { error: `${controls.join(', ')} in the spec would not apply: set them on the TemplatedTask itself` };
  try {
    const flow = parseFlow(stringify({ id: 'templated', namespace: 'templated', tasks: [{ ...spec$, id: taskId }] }), taskTypes);
    const task = flow.tasks[0]!;
    const type = taskTypes.find(task.type);
    if (!type || type.kind !== 'runnable' || task.type === 'Subflow') return { error: 'The templated task must be a runnable task' };
    return { task };
  } catch (error) {
    if (error instanceof FlowValidationError) {
      const issues = error.issues.map((i) => `${i.path.replace(/^tasks\[0\]\.?/, '') || 'spec'}: ${i.message}`);
      return { error: `the rendered spec is not a valid task: ${issues.join('; ')}` };
    }
    throw error;
  }
}
