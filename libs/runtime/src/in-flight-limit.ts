import { MeasuredCapacity } from './measured-capacity.js';
import { processEventLoopLag } from './event-loop-lag.js';
import { processEventLoopUtilisation } from './event-loop-utilisation.js';

/**
 * Admission control: a bound on the executions this process started that have not ended yet.
 * Past the knee, an engine that accepts everything queues it (in the log, the bus, open HTTP
 * calls, memory) and every answer gets slower; with a bound, the excess is answered at once
 * with a retryable refusal (HTTP 429 + Retry-After) or, for a Kafka trigger, not consumed
 * until a slot frees (pause, nothing acknowledged is lost), and what was accepted finishes.
 *
 * A slot is taken before the execution is created, bound to its id once created, and freed
 * when its end is seen (`ended`) or, for an execution that runs long (a Pause, a Sleep), after
 * `holdMs`: the bound is on work in progress, not on how many executions may wait for days.
 *
 * The end may be seen before the slot is bound: an execution that ended in its creation's own
 * write (every task ran in its first step) is projected and published by other processes while
 * the creating process has not yet run the continuation of that write (a busy machine deschedules
 * it, or the Postgres backend that answers it, for tens of ms). Such ends are kept while slots
 * wait for their ids, and `bind` frees the slot at once: otherwise each held its slot for
 * `holdMs`, and one coalesced write of starts whose ends came first held the whole bound (the
 * measured bound is down to `floor` under overload): nothing was admitted for a minute.
 */
import { CodedError } from '@chronicle/errors';
export interface InFlightLimitOptions {
  /** Executions in flight at most (0 = no bound). */
  readonly max: number;
  /** A slot whose execution has not ended is freed after this long, in ms. */
  readonly holdMs: number;
  /** Resident memory ceiling in MiB (0 = none): past it, no slot is given until memory falls. */
  readonly maxRssMb?: number;
  /** Injected clock (tests); Date.now by default. */
  readonly now?: () => number;
  /** Injected resident memory in bytes (tests); process.memoryUsage.rss by default. */
  readonly rss?: () => number;
  /**
   * Sizes the bound from measurements (see MeasuredCapacity), between `floor` and `max`: the
   * queueing delay accepted (ms) and the bound's floor. Without it the bound is `max`.
   */
  readonly measured?: { readonly targetDelayMs: number; readonly floor: number };
  /**
   * Sheds on the process's event-loop delay too: while the loop runs more than `maxMs` late and
   * at least `floor` executions are in flight, no slot is given (a loop that late answers even a
   * refusal late; few in flight, the lag is not this work's: a GC pause, a busy machine). `lagMs`
   * is injected in tests; the process's EventLoopLag by default. Without it (or `maxMs` 0), off.
   */
  readonly loopDelay?: { readonly maxMs: number; readonly floor: number; readonly lagMs?: () => number };
  /**
   * Sheds on how busy the process's event loop is too: while it ran code more than `max` (0..1) of
   * the last ~200 ms and at least `floor` executions are in flight, no slot is given. A saturated
   * loop is never late by much (it handles what is ready whenever it runs) but has no room left to
   * accept, read and refuse the calls waiting for it (see EventLoopUtilisation). `utilisation` is
   * injected in tests; the process's EventLoopUtilisation by default. Without it (or `max` 0), off.
   */
  readonly loopUtilisation?: { readonly max: number; readonly floor: number; readonly utilisation?: () => number };
}

export interface InFlightSlot {
  /** The execution this slot is for; its end frees the slot. */
  bind(executionId: string): void;
  /** Frees the slot (the start failed, or found an execution that existed already). */
  release(): void;
}

interface Held {
  readonly since: number;
  executionId?: string;
  released: boolean;
  /** Its queueing delay was reported (see progressed). */
  sampled?: boolean;
}

export class InFlightLimit {
  /** Slots in the order they were taken: the oldest expire first. Never more than `max`. */
  private readonly held = new Set<Held>();
  private readonly byExecution = new Map<string, Held>();
  private readonly waiters: Array<(slot: InFlightSlot) => void> = [];
  /** Slots taken and not yet bound to an execution nor freed: while there are any, an end may come before its bind. */
  private unbound = 0;
  /** Ends of executions no slot was bound to, seen while `unbound` > 0 (insertion order; at most ENDS_KEPT_FOR_BIND). */
  private readonly endedBeforeBind = new Set<string>();
  private readonly now: () => number;
  private sweepTimer?: ReturnType<typeof setTimeout>;

  private readonly rss: () => number;
  private readonly capacity?: MeasuredCapacity;
  private readonly loopLag?: () => number;
  private readonly loopBusyness?: () => number;

  constructor(private readonly options: InFlightLimitOptions) {
    this.now = options.now ?? Date.now;
    this.rss = options.rss ?? sampledRss(this.now);
    if (options.measured && options.measured.targetDelayMs > 0 && options.max > 0) {
      this.capacity = new MeasuredCapacity({ targetDelayMs: options.measured.targetDelayMs, floor: options.measured.floor, ceiling: options.max, now: this.now });
    }
    if (options.loopDelay && options.loopDelay.maxMs > 0) {
      const lag = options.loopDelay.lagMs;
      this.loopLag = lag ?? (() => processEventLoopLag().lagMs);
    }
    if (options.loopUtilisation && options.loopUtilisation.max > 0) {
      const utilisation = options.loopUtilisation.utilisation;
      this.loopBusyness = utilisation ?? (() => processEventLoopUtilisation().utilisation);
    }
  }

  /** The bound now: `max`, or what was measured (see MeasuredCapacity). */
  get max(): number {
    return this.capacity?.limit ?? this.options.max;
  }

  get bounded(): boolean {
    return this.options.max > 0 || (this.options.maxRssMb ?? 0) > 0 || this.loopLag !== undefined || this.loopBusyness !== undefined;
  }

  /** The event-loop delay past which starts are shed, in ms (0 = not shed on it). */
  get maxLoopDelayMs(): number {
    return this.loopLag ? this.options.loopDelay!.maxMs : 0;
  }

  /** The event-loop delay now, in ms (0 when not shed on it). */
  get loopDelayMs(): number {
    return this.loopLag ? Math.round(this.loopLag()) : 0;
  }

  /** True while the loop runs later than `loopDelay.maxMs` with at least its `floor` in flight. */
  get loopLagging(): boolean {
    if (!this.loopLag) return false;
    const { maxMs, floor } = this.options.loopDelay!;
    return this.held.size >= floor && this.loopLag() > maxMs;
  }

  /** The event-loop utilisation past which starts are shed, 0..1 (0 = not shed on it). */
  get maxLoopUtilisation(): number {
    return this.loopBusyness ? this.options.loopUtilisation!.max : 0;
  }

  /** The event loop's utilisation now, 0..1 (0 when not shed on it). */
  get loopUtilisation(): number {
    return this.loopBusyness ? this.loopBusyness() : 0;
  }

  /** True while the loop was busier than `loopUtilisation.max` with at least its `floor` in flight. */
  get loopBusy(): boolean {
    if (!this.loopBusyness) return false;
    const { max, floor } = this.options.loopUtilisation!;
    return this.held.size >= floor && this.loopBusyness() > max;
  }

  /** The memory ceiling in MiB (0 = none). */
  get memoryCeilingMb(): number {
    return this.options.maxRssMb ?? 0;
  }

  /** True while the process is past its memory ceiling. */
  get overMemory(): boolean {
    const ceiling = this.options.maxRssMb ?? 0;
    return ceiling > 0 && this.rss() > ceiling * 1024 * 1024;
  }

  private get full(): boolean {
    return (this.options.max > 0 && this.held.size >= this.max) || this.overMemory || this.loopLagging || this.loopBusy;
  }

  get inFlight(): number {
    return this.held.size;
  }

  /** Seconds a refused caller should wait before trying again (for Retry-After). */
  get retryAfterSeconds(): number {
    return 1;
  }

  /** True when a start would be refused now (the cheap look an HTTP layer takes before parsing anything). */
  atCapacity(): boolean {
    if (!this.bounded) return false;
    this.expire();
    if (!this.full) return false;
    this.capacity?.reached();
    return true;
  }

  /** A slot, or undefined when `max` executions are in flight (answer 429). */
  tryAcquire(): InFlightSlot | undefined {
    if (!this.bounded) return NO_SLOT;
    this.expire();
    if (this.full) {
      this.capacity?.reached();
      return undefined;
    }
    const slot = this.take();
    if (this.held.size >= this.max) this.capacity?.reached();
    return slot;
  }

  /**
   * The execution was taken up (its first state past CREATED was seen): how long it waited since
   * its slot was taken is one measurement of the queueing delay, once per execution.
   */
  progressed(executionId: string): void {
    const held = this.byExecution.get(executionId);
    if (!held || held.sampled || !this.capacity) return;
    held.sampled = true;
    this.capacity.sample(this.now() - held.since);
  }

  /**
   * Waits for a slot (first come, first served): a Kafka trigger stops consuming meanwhile.
   * After `timeoutMs` it gives up with AtCapacityError (retryable): a consumer that must
   * heartbeat retries through its backoff instead of holding its message past its session.
   */
  acquire(timeoutMs?: number): Promise<InFlightSlot> {
    const slot = this.waiters.length === 0 ? this.tryAcquire() : undefined;
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve, reject) => {
      const waiter = (given: InFlightSlot) => {
        if (timer) clearTimeout(timer);
        resolve(given);
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(new AtCapacityError(this.held.size));
      }, timeoutMs);
      this.waiters.push(waiter);
      this.scheduleSweep();
    });
  }

  /** The execution ended (its terminal state was seen): its slot, if it holds one, is free. */
  ended(executionId: string): void {
    const held = this.byExecution.get(executionId);
    if (held) return this.free(held);
    // A slot still waiting for its id may be this execution's (see the class comment).
    if (this.unbound === 0) return;
    this.endedBeforeBind.add(executionId);
    if (this.endedBeforeBind.size > ENDS_KEPT_FOR_BIND) this.endedBeforeBind.delete(this.endedBeforeBind.values().next().value!);
  }

  private take(): InFlightSlot {
    const held: Held = { since: this.now(), released: false };
    this.held.add(held);
    this.unbound++;
    return {
      bind: (executionId) => {
        if (held.released || held.executionId !== undefined) return;
        held.executionId = executionId;
        this.byExecution.set(executionId, held);
        const endedAlready = this.endedBeforeBind.delete(executionId);
        this.boundOrFreed();
        // Its end was its first state past CREATED seen: the queueing delay is measured now, or
        // the fastest starts (ended in their own write) would never count in the measured bound.
        if (endedAlready) {
          this.progressed(executionId);
          this.free(held);
        }
      },
      release: () => this.free(held),
    };
  }

  private free(held: Held): void {
    if (held.released) return;
    held.released = true;
    this.held.delete(held);
    if (held.executionId === undefined) this.boundOrFreed();
    if (held.executionId !== undefined && this.byExecution.get(held.executionId) === held) this.byExecution.delete(held.executionId);
    this.handOver();
  }

  /** One slot less waits for its id: with none waiting, no end seen so far can be a bind's. */
  private boundOrFreed(): void {
    this.unbound--;
    if (this.unbound === 0) this.endedBeforeBind.clear();
  }

  /** Frees the slots held longer than `holdMs` (oldest first: the set keeps insertion order). */
  private expire(): void {
    const oldest = this.now() - this.options.holdMs;
    for (const held of this.held) {
      if (held.since > oldest) break;
      this.free(held);
    }
  }

  private handOver(): void {
    while (this.waiters.length > 0 && !this.full) this.waiters.shift()!(this.take());
  }

  /** Waiters need the held slots to expire even when nothing ends or asks: a timer while anyone waits. */
  private scheduleSweep(): void {
    if (this.sweepTimer || this.waiters.length === 0) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      this.expire();
      this.handOver();
      this.scheduleSweep();
    }, Math.min(1000, Math.max(10, this.options.holdMs / 4)));
    this.sweepTimer.unref?.();
  }
}

/** No slot freed in time (acquire's timeout): retry later; nothing was started (OVERLOADED, a passing failure). */
export class AtCapacityError extends CodedError {
  constructor(inFlight: number) {
    super('OVERLOADED', `at capacity: ${inFlight} executions in flight (CHRONICLE_MAX_IN_FLIGHT); waiting for one to end`);
  }
}

/**
 * Ends kept for slots not yet bound, at most: the ones that matter were seen milliseconds before
 * their bind, and under overload (slots always waiting) the oldest give way to newer ones.
 */
const ENDS_KEPT_FOR_BIND = 4_096;

const NO_SLOT: InFlightSlot = { bind: () => undefined, release: () => undefined };

/** How long one reading of the resident memory serves (it grows by MBs per second at most). */
const RSS_SAMPLE_MS = 100;

/**
 * The process's resident memory, read at most every RSS_SAMPLE_MS: admission looks at it two or
 * three times per start, and each `process.memoryUsage.rss()` is a system call (≈ 4 % of the
 * standalone webhook path's CPU in the 2026-12-06 profile).
 */
function sampledRss(now: () => number): () => number {
  let value = 0;
  let readAt = -Infinity;
  return () => {
    const t = now();
    if (t - readAt >= RSS_SAMPLE_MS) {
      value = process.memoryUsage.rss();
      readAt = t;
    }
    return value;
  };
}
