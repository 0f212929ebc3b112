import { isTerminal } from '@chronicle/domain';
import type { CreatedExecution } from '@chronicle/use-cases';
import type { InFlightLimit, InFlightSlot } from '@chronicle/runtime';
import { CodedError } from '@chronicle/errors';
import type { LiveUpdates } from '../live/live-updates.js';

/**
 * A start refused by admission control: too many executions in flight (OVERLOADED, HTTP 429) or
 * the process past its memory ceiling (MEMORY_CEILING, HTTP 503); either way with Retry-After.
 */
export class OverloadedError extends CodedError {
  constructor(why: string, readonly retryAfterSeconds: number, reason: 'OVERLOADED' | 'MEMORY_CEILING' = 'OVERLOADED') {
    super(reason, `Chronicle is at capacity (${why}); nothing was started: retry in ${retryAfterSeconds} s`, { details: { retryAfterSeconds } });
  }
}

/**
 * Admission control of the gateway's starts (webhook, REST, GraphQL): a start takes a slot of
 * the InFlightLimit before anything is written and is refused at once when none is free; the
 * slot is freed when the live updates show the execution ended. Reads, the UI and control
 * commands never take a slot: they keep being served under overload.
 */
export class ExecutionAdmission {
  private stopListening?: () => void;

  constructor(private readonly limit: InFlightLimit, private readonly live: LiveUpdates) {}

  /** Follows the live updates for ends (called once the gateway starts). */
  listen(): void {
    if (!this.limit.bounded || this.stopListening) return;
    // The state rides on every update: no view is built for this listener.
    this.stopListening = this.live.onExecutionState((executionId, state) => {
      // Taken up by the engine: the queueing delay the bound is sized from (see MeasuredCapacity).
      if (state !== 'CREATED') this.limit.progressed(executionId);
      if (isTerminal(state)) this.limit.ended(executionId);
    });
  }

  stop(): void {
    this.stopListening?.();
    this.stopListening = undefined;
  }

  get inFlight(): number {
    return this.limit.inFlight;
  }

  /** A slot, or OverloadedError: take it before any work, release it on every path that starts nothing. */
  take(): InFlightSlot {
    const slot = this.limit.tryAcquire();
    if (!slot) throw this.overloaded();
    return slot;
  }

  /** The refusal a start would get now, if any (no slot is taken). */
  refusal(): OverloadedError | undefined {
    return this.limit.atCapacity() ? this.overloaded() : undefined;
  }

  private overloaded(): OverloadedError {
    if (this.limit.overMemory) return new OverloadedError(`its memory is past CHRONICLE_MAX_RSS_MB (${this.limit.memoryCeilingMb} MiB)`, this.limit.retryAfterSeconds, 'MEMORY_CEILING');
    const why = `${this.limit.inFlight} executions in flight, the bound measured now (${this.limit.max}, CHRONICLE_MAX_IN_FLIGHT at most)`;
    return new OverloadedError(why, this.limit.retryAfterSeconds);
  }

  /** Runs `start` under a slot: kept for a new execution until it ends, freed at once otherwise. */
  async start<R extends CreatedExecution>(start: () => Promise<R>): Promise<R> {
    return this.startWith(this.take(), start);
  }

  /** `start` under a slot already taken. */
  async startWith<R extends CreatedExecution>(slot: InFlightSlot, start: () => Promise<R>): Promise<R> {
    try {
      const started = await start();
      if (started.created) slot.bind(started.execution.id);
      else slot.release();
      return started;
    } catch (error) {
      slot.release();
      throw error;
    }
  }
}
