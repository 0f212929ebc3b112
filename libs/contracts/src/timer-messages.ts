import type { JsonObject } from '@chronicle/domain';
import { PoisonMessageError } from '@chronicle/messaging';

/**
 * Messages on the `timers` topic, from the relay to the scheduler's durable timers.
 * A due timer publishes `deliver` on the commands topic, or by default
 * `FireTimer { executionId, timerId }` (the domain's timers).
 */
export interface ScheduleTimerMessage {
  readonly type: 'ScheduleTimer';
  readonly timerId: string;
  readonly executionId: string;
  /** ISO-8601 UTC. */
  readonly fireAt: string;
  readonly purpose?: string;
  readonly taskRunId?: string;
  readonly deliver?: { readonly key: string; readonly value: JsonObject };
}

export interface CancelTimerMessage {
  readonly type: 'CancelTimer';
  readonly timerId: string;
  readonly executionId: string;
}

export type TimerMessage = ScheduleTimerMessage | CancelTimerMessage;

export const timerMessage = {
  schedule: (timer: Omit<ScheduleTimerMessage, 'type'>): ScheduleTimerMessage => ({ type: 'ScheduleTimer', ...timer }),
  cancel: (timer: Omit<CancelTimerMessage, 'type'>): CancelTimerMessage => ({ type: 'CancelTimer', ...timer }),
};

/** Checks a timers-topic message; a malformed one is poison (DLQ). */
export function parseTimerMessage(value: unknown): TimerMessage {
  const m = value as Partial<ScheduleTimerMessage> & { type?: unknown } | null;
  if (!m || typeof m !== 'object') throw new PoisonMessageError('timer message is not a JSON object');
  if (m.type !== 'ScheduleTimer' && m.type !== 'CancelTimer') throw new PoisonMessageError(`unknown timer message type ${JSON.stringify(m.type)}`);
  if (typeof m.timerId !== 'string' || m.timerId === '' || typeof m.executionId !== 'string' || m.executionId === '') {
    throw new PoisonMessageError(`${m.type} lacks timerId or executionId`);
  }
  if (m.type === 'ScheduleTimer') {
    if (typeof m.fireAt !== 'string' || Number.isNaN(Date.parse(m.fireAt))) throw new PoisonMessageError('ScheduleTimer has no valid fireAt');
    if (m.deliver !== undefined && (typeof m.deliver?.key !== 'string' || typeof m.deliver.value !== 'object' || m.deliver.value === null)) {
      throw new PoisonMessageError('ScheduleTimer.deliver must be { key, value }');
    }
  }
  return m as TimerMessage;
}
