import { mayStartFlowIn } from '@chronicle/domain';
import { TaskFailure, type RunnableTask } from '../runnable-task.js';
import { flowOf, servicesOf } from '../task-context.js';
import type { TaskModule } from '../task-module.js';
import { boolean, ioDefinition, optional, required, string } from '../io-property-checks.js';

/**
 * Kestra's trigger.Toggle (core/src/main/java/io/kestra/plugin/core/trigger/Toggle.java): enables or
 * disables a trigger of a flow (by default the task's own flow) at run time, as the API's
 * enableTrigger/disableTrigger do. Like Kestra, the flow must exist and be reachable from the
 * task's flow (its own namespace, its children, or CHRONICLE_NAMESPACE_ALLOW), and the trigger
 * must be one of that flow's. `enabled` defaults to false, as in Kestra. No outputs (VoidOutput).
 */
export const toggleTask: RunnableTask = async (context) => {
  const p = context.job.properties;
  const own = flowOf(context);
  const namespace = p.namespace === undefined || p.namespace === null ? own.namespace : String(p.namespace);
  const flowId = p.flowId === undefined || p.flowId === null ? own.flowId : String(p.flowId);
  const trigger = p.trigger;
  if (typeof trigger !== 'string' || trigger === '') throw new TaskFailure(`trigger must be the id of a trigger, got ${JSON.stringify(trigger)}`);
  const enabled = p.enabled ?? false;
  if (typeof enabled !== 'boolean') throw new TaskFailure(`enabled must be true or false, got ${JSON.stringify(enabled)}`);
  const services = servicesOf(context);
  if (!services.triggers) throw new TaskFailure(`task type ${context.job.type} needs the trigger states, which this worker was not given`);
  if (!mayStartFlowIn(own.namespace, namespace, services.namespaceAllow ?? [])) {
    throw new TaskFailure(`Unable to find flow ${namespace}.${flowId}. Make sure the flow exists and the current execution is authorized to access it (a flow of namespace ${own.namespace} reaches its own namespace, its children, or one allowed by CHRONICLE_NAMESPACE_ALLOW).`);
  }
  const outcome = await services.triggers.setEnabled({ namespace, flowId, triggerId: trigger }, enabled);
  if (outcome === 'no-flow') throw new TaskFailure(`Unable to find flow ${namespace}.${flowId}. Make sure the flow exists and the current execution is authorized to access it.`);
  if (outcome === 'no-trigger') throw new TaskFailure(`Unable to find trigger ${trigger} for the flow ${namespace}.${flowId}`);
  context.log('DEBUG', `Trigger ${trigger} of ${namespace}.${flowId} ${enabled ? 'enabled' : 'disabled'}`);
  return {};
};

// Enables or disables a trigger of a flow (default: the task's own) at run time; `enabled` defaults to false (Toggle.java).
export const TRIGGER_TOGGLE: TaskModule = {
  definition: ioDefinition('trigger.Toggle', 'io.kestra.plugin.core.trigger.Toggle', {
    trigger: required('trigger', string), enabled: optional(boolean), namespace: optional(string), flowId: optional(string),
  }, { aliases: ['io.kestra.core.tasks.trigger.Toggle'] }),
  run: toggleTask,
};
