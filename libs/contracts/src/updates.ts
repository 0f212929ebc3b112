import type { Execution } from '@chronicle/domain';
import { z } from 'zod';
import { LOG_LINE_FIELDS, type LogLine } from './logs.js';
import { messageContract } from './message-contract.js';

/**
 * The `updates` topic: what the projections publish after they commit, keyed by execution id
 * (flows: by `<namespace>.<flowId>`). Every gateway turns them into live subscriptions.
 */
export type ReadModelUpdate = ExecutionUpdate | FlowUpdate | LogUpdate;

/** One event as the live stream shows it; `position` is a decimal string (uint64). */
export interface LiveEvent {
  readonly position: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly occurredAt: string;
}

export interface ExecutionUpdate {
  readonly kind: 'execution';
  readonly executionId: string;
  readonly namespace: string;
  readonly flowId: string;
  /** Stream revision of the last event folded in. */
  readonly revision: number;
  /** Log position of the last event folded in (decimal string). */
  readonly position: string;
  /** The folded domain execution after this batch. */
  readonly execution: Execution;
  /** The execution's events folded in this batch, in order. */
  readonly events: readonly LiveEvent[];
}

export interface FlowUpdate {
  readonly kind: 'flow';
  readonly namespace: string;
  readonly flowId: string;
  readonly revision: number;
}

/** A log line the log projection stored, with its row id (a decimal string) for paging and SSE. */
export interface LogUpdate extends LogLine {
  readonly kind: 'log';
  readonly id: string;
}

export const UPDATES_CONTRACT = messageContract<ReadModelUpdate>('updates', 1, z.discriminatedUnion('kind', [
  z.looseObject({
    kind: z.literal('execution'), executionId: z.string().min(1), namespace: z.string(), flowId: z.string(), revision: z.number(), position: z.string(),
    execution: z.looseObject({ id: z.string() }), events: z.array(z.looseObject({ type: z.string() })),
  }),
  z.looseObject({ kind: z.literal('flow'), namespace: z.string(), flowId: z.string(), revision: z.number() }),
  z.looseObject({ kind: z.literal('log'), id: z.string(), ...LOG_LINE_FIELDS }),
]));

/** The producers' side: an update with this build's schemaVersion. */
export const updateMessage = <U extends ReadModelUpdate>(update: U) => UPDATES_CONTRACT.stamp(update);

export const parseUpdate = (value: unknown): ReadModelUpdate => UPDATES_CONTRACT.parse(value);
