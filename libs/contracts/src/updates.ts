import type { State } from '@chronicle/domain';
import { z } from 'zod';
import { LOG_LINE_FIELDS, type LogLine } from './logs.js';
import { messageContract } from './message-contract.js';

/**
 * The `updates` topic: what the projections publish after they commit, keyed by execution id
 * (flows: by `<namespace>.<flowId>`). Every gateway turns them into live subscriptions.
 */
export type ReadModelUpdate<Change = ExecutionViewChangeWire> = ExecutionUpdate<Change> | FlowUpdate | LogUpdate;

/** One event as the live stream shows it; `position` is a decimal string (uint64). */
export interface LiveEvent {
  readonly position: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly occurredAt: string;
}

/**
 * A change of an execution's read-side view as the wire carries it: the whole view for a new
 * execution, else a delta from the view at `baseRevision`. The read model types it exactly
 * (`ExecutionViewChange`, libs/read-model/src/views/execution-view.delta.ts); this contract, below
 * the read model, checks its frame.
 */
export type ExecutionViewChangeWire =
  | { readonly kind: 'view'; readonly view: { readonly id: string; readonly revision: number } }
  | {
      readonly kind: 'delta';
      readonly baseRevision: number;
      readonly revision: number;
      readonly set: object;
      readonly unset: readonly string[];
      readonly taskRuns: readonly { readonly seq: number; readonly taskRun: object }[];
      readonly taskRunCount: number;
    };

export interface ExecutionUpdate<Change = ExecutionViewChangeWire> {
  readonly kind: 'execution';
  readonly executionId: string;
  readonly namespace: string;
  readonly flowId: string;
  /** Stream revision of the last event folded in. */
  readonly revision: number;
  /** Log position of the last event folded in (decimal string). */
  readonly position: string;
  /** The execution's state after this change (what a subscriber to terminal states needs without the view). */
  readonly state: State;
  /** Development runs are tests: metrics leave them out. */
  readonly mode: 'PRODUCTIVE' | 'DEVELOPMENT';
  /** The read side's view after this change: whole for a new execution, else a delta (never the domain Execution). */
  readonly change: Change;
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

// Version 2: an execution update carries the read side's view change (whole or delta), no longer the domain Execution.
export const UPDATES_CONTRACT = messageContract<ReadModelUpdate>('updates', 2, z.discriminatedUnion('kind', [
  z.looseObject({
    kind: z.literal('execution'), executionId: z.string().min(1), namespace: z.string(), flowId: z.string(), revision: z.number(), position: z.string(),
    state: z.string(), mode: z.enum(['PRODUCTIVE', 'DEVELOPMENT']),
    change: z.discriminatedUnion('kind', [
      z.looseObject({ kind: z.literal('view'), view: z.looseObject({ id: z.string(), revision: z.number() }) }),
      z.looseObject({
        kind: z.literal('delta'), baseRevision: z.number(), revision: z.number(), set: z.looseObject({}), unset: z.array(z.string()),
        taskRuns: z.array(z.looseObject({ seq: z.number(), taskRun: z.looseObject({}) })), taskRunCount: z.number(),
      }),
    ]),
    events: z.array(z.looseObject({ type: z.string() })),
  }),
  z.looseObject({ kind: z.literal('flow'), namespace: z.string(), flowId: z.string(), revision: z.number() }),
  z.looseObject({ kind: z.literal('log'), id: z.string(), ...LOG_LINE_FIELDS }),
]));

/** The producers' side: an update with this build's schemaVersion. */
export const updateMessage = <U extends ReadModelUpdate>(update: U) => UPDATES_CONTRACT.stamp(update);

export const parseUpdate = (value: unknown): ReadModelUpdate => UPDATES_CONTRACT.parse(value);
