import { parseTriggers, type FlowDefinition, type TriggerDefinition, type TriggerKind } from '@chronicle/domain';

export interface DeclaredTrigger<T extends TriggerDefinition = TriggerDefinition> {
  readonly namespace: string;
  readonly flowId: string;
  readonly revision: number;
  readonly trigger: T;
}

/**
 * The triggers of the latest revision of every live flow, by kind. Fed by the flow streams
 * (deploys, disables, deletes); invalid trigger definitions are skipped with their issues kept.
 */
export class FlowTriggersIndex {
  private readonly byFlow = new Map<string, { flow: FlowDefinition; disabled: boolean; triggers: TriggerDefinition[] }>();
  readonly problems = new Map<string, string[]>();

  deployed(flow: FlowDefinition): void {
    const { triggers, issues } = parseTriggers(flow.triggers);
    const key = keyOf(flow.namespace, flow.id);
    if (issues.length > 0) this.problems.set(key, issues.map((i) => `${i.path}: ${i.message}`));
    else this.problems.delete(key);
    const previous = this.byFlow.get(key);
    this.byFlow.set(key, { flow, disabled: previous?.disabled ?? false, triggers });
  }

  setFlowDisabled(namespace: string, flowId: string, disabled: boolean): void {
    const entry = this.byFlow.get(keyOf(namespace, flowId));
    if (entry) entry.disabled = disabled;
  }

  deleted(namespace: string, flowId: string): void {
    this.byFlow.delete(keyOf(namespace, flowId));
  }

  ofKind<K extends TriggerKind>(kind: K): DeclaredTrigger<Extract<TriggerDefinition, { kind: K }>>[] {
    const found: DeclaredTrigger<Extract<TriggerDefinition, { kind: K }>>[] = [];
    for (const { flow, disabled, triggers } of this.byFlow.values()) {
      if (disabled || flow.extra?.disabled === true) continue;
      for (const trigger of triggers) {
        if (trigger.kind === kind && !trigger.disabled) found.push({ namespace: flow.namespace, flowId: flow.id, revision: flow.revision, trigger: trigger as Extract<TriggerDefinition, { kind: K }> });
      }
    }
    return found;
  }

  find(namespace: string, flowId: string): { flow: FlowDefinition; disabled: boolean; triggers: TriggerDefinition[] } | undefined {
    return this.byFlow.get(keyOf(namespace, flowId));
  }
}

const keyOf = (namespace: string, flowId: string) => `${namespace}\u0000${flowId}`;
