import { parseUpdate, type ExecutionUpdate as WireExecutionUpdate, type ReadModelUpdate as WireReadModelUpdate } from '@chronicle/contracts';
import type { ExecutionViewChange } from '../views/execution-view.delta.js';

export type { FlowUpdate, LiveEvent, LogUpdate } from '@chronicle/contracts';

/**
 * The `updates` topic's messages (their contract, name, version and parser are in
 * libs/contracts/src/updates.ts) with the view change typed exactly: the read side's own
 * ExecutionViewChange, which the contract below the read model only frames.
 */
export type ExecutionUpdate = WireExecutionUpdate<ExecutionViewChange>;
export type ReadModelUpdate = WireReadModelUpdate<ExecutionViewChange>;

/**
 * An update off the bus (throws PoisonMessageError, for its dead letter): the contract checks its
 * version and frame; the view inside is the read model's own shape, which this build's projection wrote.
 */
export const parseReadModelUpdate = (value: unknown): ReadModelUpdate => parseUpdate(value) as WireReadModelUpdate as ReadModelUpdate;
