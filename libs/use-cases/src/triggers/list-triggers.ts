import { httpPollSlot, nextTick, parseTriggers, type FlowDefinition, type TriggerDefinition } from '@chronicle/domain';
import type { TriggerStates } from './trigger-states.port.js';

export interface TriggerStatus {
  readonly namespace: string;
  readonly flowId: string;
  readonly id: string;
  readonly kind: TriggerDefinition['kind'];
  readonly type: string;
  /** Enabled in the flow and not disabled at run time. */
  readonly enabled: boolean;
  readonly disabledInFlow: boolean;
  readonly lastFiredAt?: string;
  readonly nextFireAt?: string;
  readonly cron?: string;
  readonly timezone?: string;
  readonly topic?: string;
  /** HTTP triggers: the URL polled (as written: templates are rendered per poll) and the interval (ISO-8601). */
  readonly uri?: string;
  readonly interval?: string;
}

/**
 * Every trigger of the given flows with its run-time state and, for schedules, its next tick; for
 * HTTP triggers, their next poll (skipped while the execution of their last start runs) and
 * `lastFiredAt`, the poll slot of their last start.
 */
export async function listTriggers(flows: readonly FlowDefinition[], states: Pick<TriggerStates, 'all'>, now: Date): Promise<TriggerStatus[]> {
  const byKey = new Map((await states.all()).map((s) => [`${s.namespace}\u0000${s.flowId}\u0000${s.triggerId}`, s]));
  return flows.flatMap((flow) =>
    parseTriggers(flow.triggers).triggers.map((t): TriggerStatus => {
      const state = byKey.get(`${flow.namespace}\u0000${flow.id}\u0000${t.id}`);
      const enabled = !t.disabled && (state?.enabled ?? true);
      return {
        namespace: flow.namespace,
        flowId: flow.id,
        id: t.id,
        kind: t.kind,
        type: t.typeName,
        enabled,
        disabledInFlow: t.disabled,
        lastFiredAt: state?.lastFired?.toISOString(),
        nextFireAt: enabled ? nextFireOf(t, now) : undefined,
        ...(t.kind === 'Schedule' ? { cron: t.cron, timezone: t.timezone } : {}),
        ...(t.kind === 'Kafka' ? { topic: t.topic } : {}),
        ...(t.kind === 'Http' ? { uri: String(t.request.uri), interval: isoSeconds(t.intervalMs) } : {}),
      };
    }),
  );
}

function nextFireOf(t: TriggerDefinition, now: Date): string | undefined {
  if (t.kind === 'Schedule') return nextTick(t, now)?.toISOString();
  if (t.kind === 'Http') return new Date(httpPollSlot(t, now.getTime()) + t.intervalMs).toISOString();
  return undefined;
}

/** A whole number of milliseconds as an ISO-8601 duration in seconds (PT60S, PT0.5S): how the trigger's interval is shown. */
const isoSeconds = (ms: number): string => `PT${ms / 1000}S`;
