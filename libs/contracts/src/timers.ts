import type { JsonObject } from '@chronicle/domain';
import { z } from 'zod';
import { messageContract } from './message-contract.js';

/**
 * The `timers` topic, from the relay to the scheduler's durable timers, keyed by execution id.
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

const id = z.string().min(1);

const TIMER_MESSAGE = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ScheduleTimer'),
    timerId: id,
    executionId: id,
    fireAt: z.string().refine((at) => !Number.isNaN(Date.parse(at)), 'must be an ISO-8601 date-time'),
    purpose: z.string().optional(),
    taskRunId: z.string().optional(),
    deliver: z.object({ key: z.string(), value: z.record(z.string(), z.unknown()) }).optional(),
  }),
  z.object({ type: z.literal('CancelTimer'), timerId: id, executionId: id }),
]);

export const TIMERS_CONTRACT = messageContract<TimerMessage>('timers', 1, TIMER_MESSAGE);

/** The producers' side: a timer message with this build's schemaVersion. */
export const timerMessage = {
  schedule: (timer: Omit<ScheduleTimerMessage, 'type'>) => TIMERS_CONTRACT.stamp<ScheduleTimerMessage>({ type: 'ScheduleTimer', ...timer }),
  cancel: (timer: Omit<CancelTimerMessage, 'type'>) => TIMERS_CONTRACT.stamp<CancelTimerMessage>({ type: 'CancelTimer', ...timer }),
};

/** Checks a timers-topic message; a malformed one or one of an unknown version is poison (DLQ). */
export const parseTimerMessage = (value: unknown): TimerMessage => TIMERS_CONTRACT.parse(value);
