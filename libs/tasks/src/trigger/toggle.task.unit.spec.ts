import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@chronicle/domain';
import type { TriggerKey } from '@chronicle/use-cases';
import type { TaskServices } from '../task-services.js';
import { taskContext } from '../test-support/task-test-context.js';
import { toggleTask } from './toggle.task.js';

/**
 * Kestra's trigger.Toggle (core/src/main/java/io/kestra/plugin/core/trigger/Toggle.java, its example
 * and core/src/test/resources/flows/valids/trigger-toggle.yaml): the task's own flow by default,
 * `enabled` false by default, a missing flow or trigger fails the task with Kestra's messages.
 */
const run = async (properties: JsonObject, known: Record<string, string[]> = { 'company.team/trigger_toggle': ['schedule'] }, allow: TaskServices['namespaceAllow'] = []) => {
  const calls: Array<[TriggerKey, boolean]> = [];
  const services = {
    namespaceAllow: allow,
    triggers: {
      async setEnabled(key: TriggerKey, enabled: boolean) {
        const triggers = known[`${key.namespace}/${key.flowId}`];
        if (!triggers) return 'no-flow' as const;
        if (!triggers.includes(key.triggerId)) return 'no-trigger' as const;
        calls.push([key, enabled]);
        return 'done' as const;
      },
    },
  } as unknown as TaskServices;
  const { context } = taskContext('trigger.Toggle', properties, { flow: { namespace: 'company.team', flowId: 'trigger_toggle' } });
  const outputs = await toggleTask({ ...context, services });
  return { outputs, calls };
};

describe('trigger.Toggle', () => {
  it('enables or disables a trigger of the task\'s own flow; enabled defaults to false', async () => {
    expect(await run({ trigger: 'schedule', enabled: true })).toEqual({ outputs: {}, calls: [[{ namespace: 'company.team', flowId: 'trigger_toggle', triggerId: 'schedule' }, true]] });
    expect((await run({ trigger: 'schedule' })).calls).toEqual([[{ namespace: 'company.team', flowId: 'trigger_toggle', triggerId: 'schedule' }, false]]);
  });

  it('reaches another flow of its namespace or of a child namespace', async () => {
    const { calls } = await run({ trigger: 'hourly', namespace: 'company.team.etl', flowId: 'load', enabled: true }, { 'company.team.etl/load': ['hourly'] });
    expect(calls).toEqual([[{ namespace: 'company.team.etl', flowId: 'load', triggerId: 'hourly' }, true]]);
  });

  it('fails with Kestra\'s messages when the flow or the trigger does not exist, or the namespace is out of reach', async () => {
    await expect(run({ trigger: 'schedule', flowId: 'missing' })).rejects.toThrow('Unable to find flow company.team.missing');
    await expect(run({ trigger: 'nope' })).rejects.toThrow('Unable to find trigger nope for the flow company.team.trigger_toggle');
    await expect(run({ trigger: 'schedule', namespace: 'other', flowId: 'trigger_toggle' }, { 'other/trigger_toggle': ['schedule'] })).rejects.toThrow('Unable to find flow other.trigger_toggle');
  });
});
