import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** Reads the loop's cumulative idle/active times (performance.eventLoopUtilization's shape); injected in tests. */
export type EventLoopUtilisationSource = () => Pick<EventLoopUtilization, 'idle' | 'active'>;

/**
 * The share of the recent past the process's event loop spent running code rather than waiting
 * for events (0..1), over about `windowMs`. Admission control reads it (InFlightLimit `loopUtilisation`).
 *
 * Why not the loop's delay alone (EventLoopLag): a saturated loop that handles everything that is
 * ready whenever it runs is never late by much, yet it has no room left. On a machine where the
 * gateway shares its cores with the other services (2026-12-07-ab-386cded.md), its loop was busy
 * 93-100 % of every second while its delay stayed ~35 ms, and new connections waited in the
 * kernel's accept queue, 4,000 deep, longer than the clients' 30 s timeout: once answers slow
 * down, the client opens a new connection per call, each costs the gateway more, and the state
 * sustains itself. A loop kept below full has time to accept, read and refuse.
 *
 * A timer marks the cumulative times every `windowMs / SLOTS`; a reading is the utilisation from
 * the oldest mark kept to now, so it includes the busy stretch in progress (a request read right
 * after a long batch sees it). The timer is unref'd: it never keeps a process alive.
 */
export class EventLoopUtilisation {
  private timer?: ReturnType<typeof setInterval>;
  /** Cumulative times at the last SLOTS marks, oldest first. */
  private marks: Array<Pick<EventLoopUtilization, 'idle' | 'active'>> = [];

  constructor(private readonly windowMs = 200, private readonly source: EventLoopUtilisationSource = () => performance.eventLoopUtilization()) {}

  /** The utilisation over the last window, 0..1 (0 until started or before the first mark). */
  get utilisation(): number {
    const from = this.marks[0];
    if (!from) return 0;
    const now = this.source();
    const active = now.active - from.active;
    const total = active + now.idle - from.idle;
    return total > 0 ? active / total : 0;
  }

  start(): this {
    if (this.timer) return this;
    this.mark();
    this.timer = setInterval(() => this.mark(), this.windowMs / SLOTS);
    this.timer.unref?.();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.marks = [];
  }

  private mark(): void {
    this.marks.push(this.source());
    if (this.marks.length > SLOTS) this.marks.shift();
  }
}

/** Marks kept per window: a reading covers between (SLOTS-1)/SLOTS and all of the window, plus the part since the last mark. */
const SLOTS = 4;

let shared: EventLoopUtilisation | undefined;

/** The process's one EventLoopUtilisation (started on first use). */
export function processEventLoopUtilisation(): EventLoopUtilisation {
  return (shared ??= new EventLoopUtilisation().start());
}
