import { isTerminal, type State } from '../execution/state.js';
import type { FlowTrigger, FlowTriggerCondition } from './trigger.model.js';

export interface EndedExecution {
  readonly namespace: string;
  readonly flowId: string;
  readonly state: State;
}

/** Whether an ended upstream execution fires this Flow trigger (all conditions, any precondition flow). */
export function flowTriggerMatches(trigger: FlowTrigger, upstream: EndedExecution): boolean {
  if (trigger.disabled) return false;
  if (trigger.states ? !trigger.states.includes(upstream.state) : !isTerminal(upstream.state)) return false;
  const all = trigger.conditions.every((c) => conditionHolds(c, upstream));
  const any = trigger.anyOf.length === 0 || trigger.anyOf.some((c) => conditionHolds(c, upstream));
  return all && any;
}

function conditionHolds(c: FlowTriggerCondition, up: EndedExecution): boolean {
  if (c.namespace !== undefined) {
    const ok = c.namespacePrefix ? up.namespace === c.namespace || up.namespace.startsWith(`${c.namespace}.`) : up.namespace === c.namespace;
    if (!ok) return false;
  }
  if (c.flowId !== undefined && up.flowId !== c.flowId) return false;
  if (c.states && c.states.length > 0 && !c.states.includes(up.state)) return false;
  if (c.notStates && c.notStates.includes(up.state)) return false;
  return true;
}
