import type { Decision } from './decision.js';
import type { UpdateExecution } from './execution.commands.js';
import { checkMessage, checkName, checkPriority, RunOptionError } from './run-options.js';

/**
 * An operator steers the execution (any state): new labels, status message, priority, name or
 * description. Only what changes is written; a bad value is refused naming its field.
 */
export const update = (d: Decision, command: UpdateExecution): void => {
  const current = d.execution.options ?? {};
  const changed: { message?: string; priority?: number; name?: string; description?: string } = {};
  if (command.message !== undefined && checkMessage(command.message) !== current.message) changed.message = command.message;
  if (command.priority !== undefined && checkPriority(command.priority) !== current.priority) changed.priority = command.priority;
  if (command.name !== undefined && checkName(command.name) !== current.name) changed.name = command.name;
  if (command.description !== undefined && checkMessage(command.description, 'description') !== current.description) changed.description = command.description;
  if (command.labels !== undefined) {
    const labels = checkLabels(command.labels, d.execution.labels);
    if (JSON.stringify(labels) !== JSON.stringify(d.execution.labels)) d.emit({ type: 'ExecutionLabelsChanged', data: { labels, at: d.now } });
  }
  if (Object.keys(changed).length > 0) d.emit({ type: 'ExecutionUpdated', data: { ...changed, at: d.now } });
};

/** Labels an operator sets: texts; Chronicle's own `system.*` labels stay as they are (Kestra's rule too). */
const checkLabels = (labels: Readonly<Record<string, unknown>>, current: Readonly<Record<string, string>>): Record<string, string> => {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) throw new RunOptionError('labels', 'must be an object of names to texts');
  for (const [key, value] of Object.entries(labels)) {
    if (typeof value !== 'string') throw new RunOptionError(`labels.${key}`, `must be a text, got ${JSON.stringify(value)}`);
    if (key.startsWith('system.') && current[key] !== value) throw new RunOptionError(`labels.${key}`, 'is a system label: only Chronicle sets it');
  }
  const system = Object.fromEntries(Object.entries(current).filter(([k]) => k.startsWith('system.')));
  return { ...(labels as Record<string, string>), ...system };
};
