import { conditionHolds, type ConditionSubject } from './conditions/condition.evaluate.js';
import type { MultipleConditionWindow } from './conditions/condition.model.js';
import { stepMultipleCondition } from './conditions/multiple-condition.window.js';
import type { FlowTrigger } from './trigger.model.js';

export interface FlowTriggerDecision {
  readonly fires: boolean;
  /** MultipleCondition windows to store (by condition id) and to delete. */
  readonly save: readonly MultipleConditionWindow[];
  readonly remove: readonly string[];
  /** Conditions that could not be evaluated (an expression error): logged by the caller. */
  readonly problems: readonly string[];
}

const NOTHING: FlowTriggerDecision = { fires: false, save: [], remove: [], problems: [] };

/**
 * Kestra's FlowTriggerService for one trigger and one upstream state change: the state must be
 * one the trigger listens to, every plain condition must hold, then each MultipleCondition /
 * `preconditions` adds what holds now to its window and all must be fulfilled. A flow never
 * triggers itself. `windows` are the stored windows of this trigger by condition id.
 */
export function decideFlowTrigger(
  trigger: FlowTrigger,
  downstream: { readonly namespace: string; readonly flowId: string },
  subject: ConditionSubject & { readonly execution: NonNullable<ConditionSubject['execution']> },
  windows: ReadonlyMap<string, MultipleConditionWindow>,
  nowMs: number,
): FlowTriggerDecision {
  const upstream = subject.execution;
  if (trigger.disabled) return NOTHING;
  if (upstream.namespace === downstream.namespace && upstream.flowId === downstream.flowId) return NOTHING;
  if (!trigger.states.includes(upstream.state)) return NOTHING;
  const problems: string[] = [];
  const onError = (message: string) => problems.push(message);
  if (!trigger.conditions.every((c) => conditionHolds(c, subject, onError))) return { ...NOTHING, problems };
  const save: MultipleConditionWindow[] = [];
  const remove: string[] = [];
  let fires = true;
  for (const multiple of trigger.multiple) {
    const holdsNow = Object.fromEntries(Object.entries(multiple.conditions).map(([id, c]) => [id, conditionHolds(c, subject, onError)]));
    const step = stepMultipleCondition(multiple, windows.get(multiple.id), holdsNow, nowMs);
    if (step.save) save.push(step.save);
    if (step.remove) remove.push(multiple.id);
    fires &&= step.satisfied;
  }
  return { fires, save, remove, problems };
}

/** Whether a trigger keeps windows (the listener then loads and stores them). */
export const flowTriggerHasWindows = (trigger: FlowTrigger): boolean => trigger.multiple.length > 0;
