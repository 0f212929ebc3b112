import { isTerminal } from '@chronicle/domain';
import type { CreatedExecution } from '@chronicle/use-cases';
import { countAdmissionRefusal, registerAdmission, type InFlightLimit, type InFlightSlot, type Unregister } from '@chronicle/runtime';
import { CodedError } from '@chronicle/errors';
import type { LiveUpdates } from '../live/live-updates.js';

/**
 * A start refused by admission control: too many executions in flight or the event loop running
 * late or too busy (OVERLOADED, HTTP 429) or the process past its memory ceiling (MEMORY_CEILING, HTTP 503); either way with Retry-After.
 */
export class OverloadedError extends CodedError {
  constructor(why: string, readonly retryAfterSeconds: number, reason: 'OVERLOADED' | 'MEMORY_CEILING' = 'OVERLOADED') {
    super(reason, refusalMessage(why, retryAfterSeconds), { details: { retryAfterSeconds } });
  }
}

/** A refusal as data: what OverloadedError carries, without an error (and its stack trace) to build. */
export interface Refusal {
  readonly code: 'OVERLOADED' | 'MEMORY_CEILING';
  readonly message: string;
  readonly retryAfterSeconds: number;
}

const refusalMessage = (why: string, retryAfterSeconds: number) => `Chronicle is at capacity (${why}); nothing was started: retry in ${retryAfterSeconds} s`;

/**
 * Admission control of the gateway's starts (webhook, REST, GraphQL): a start takes a slot of
 * the InFlightLimit before anything is written and is refused at once when none is free; the
 * slot is freed when the live updates show the execution ended. Reads, the UI and control
 * commands never take a slot: they keep being served under overload.
 */
export class ExecutionAdmission {
  private stopListening?: () => void;
  /** `chronicle_admission_in_flight` / `_limit` for this bound while it listens. */
  private unregisterGauges?: Unregister;

  constructor(private readonly limit: InFlightLimit, private readonly live: LiveUpdates) {}

  /** Follows the live updates for ends (called once the gateway starts). */
  listen(): void {
    if (!this.limit.bounded || this.stopListening) return;
    this.unregisterGauges = registerAdmission('gateway', this.limit);
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
    this.unregisterGauges?.();
    this.unregisterGauges = undefined;
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

  /**
   * The refusal a start would get now, if any (no slot is taken), as data: under overload the
   * shedding middleware answers thousands of these a second, and an error's stack trace each
   * was ~1 % of the process's CPU.
   */
  refusal(): Refusal | undefined {
    if (!this.limit.atCapacity()) return undefined;
    const { why, code } = this.reason();
    return { code, message: refusalMessage(why, this.limit.retryAfterSeconds), retryAfterSeconds: this.limit.retryAfterSeconds };
  }

  private overloaded(): OverloadedError {
    const { why, code } = this.reason();
    countAdmissionRefusal('gateway', code);
    return new OverloadedError(why, this.limit.retryAfterSeconds, code);
  }

  private reason(): { why: string; code: Refusal['code'] } {
    if (this.limit.overMemory) return { why: `its memory is past CHRONICLE_MAX_RSS_MB (${this.limit.memoryCeilingMb} MiB)`, code: 'MEMORY_CEILING' };
    if (this.limit.loopBusy) return { why: `its event loop was busy ${Math.round(this.limit.loopUtilisation * 100)} % of the last moment, past CHRONICLE_ADMISSION_MAX_LOOP_UTILISATION (${Math.round(this.limit.maxLoopUtilisation * 100)} %), with ${this.limit.inFlight} executions in flight`, code: 'OVERLOADED' };
    if (this.limit.loopLagging) return { why: `its event loop runs ${this.limit.loopDelayMs} ms late, past CHRONICLE_ADMISSION_MAX_LOOP_DELAY_MS (${this.limit.maxLoopDelayMs} ms), with ${this.limit.inFlight} executions in flight`, code: 'OVERLOADED' };
    return { why: `${this.limit.inFlight} executions in flight, the bound measured now (${this.limit.max}, CHRONICLE_MAX_IN_FLIGHT at most)`, code: 'OVERLOADED' };
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
