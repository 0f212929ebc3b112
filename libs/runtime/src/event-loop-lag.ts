/**
 * How far behind its event loop the process is now, in ms. Under overload a request, even one
 * that is only refused, waits for its turn in the loop: a loop running late is the first sign
 * that more work was accepted than the process (or the CPU it is given) can do, before any
 * in-flight count shows it. Admission control reads it (InFlightLimit `loopDelay`).
 *
 * A timer that should fire every `intervalMs` measures how late it fires. Each tick's lateness is
 * one reading, and how overdue the next tick is now is the reading in progress: a request read
 * right after a stall, in the same turn of the loop, sees it there.
 *
 * The lag is sustained lateness: the larger of the two lower readings of each pair of consecutive
 * ones (the tick before last and the last, the last and the one in progress). One stall (a major
 * GC, the process descheduled on a busy machine) is one late reading, and its requests are not
 * refused: on 2 cores a 150 ms stall happens now and then well below capacity (a ten-minute soak
 * at 20,000/min refused 0.2 % of its calls on single stalls). Overload keeps the loop late tick
 * after tick, and is seen from its second late reading. The timer is unref'd: it never keeps a
 * process alive.
 */
export class EventLoopLag {
  private timer?: ReturnType<typeof setTimeout>;
  private expectedAt = 0;
  private lastLateMs = 0;
  private previousLateMs = 0;

  constructor(private readonly intervalMs = 50, private readonly now: () => number = () => performance.now()) {}

  /** The sustained lag now, in ms (0 until started). */
  get lagMs(): number {
    if (!this.timer) return 0;
    const overdueMs = Math.max(0, this.now() - this.expectedAt);
    return Math.max(Math.min(this.previousLateMs, this.lastLateMs), Math.min(this.lastLateMs, overdueMs));
  }

  start(): this {
    if (this.timer) return this;
    this.schedule();
    return this;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastLateMs = 0;
    this.previousLateMs = 0;
  }

  private schedule(): void {
    this.expectedAt = this.now() + this.intervalMs;
    this.timer = setTimeout(() => {
      this.previousLateMs = this.lastLateMs;
      this.lastLateMs = Math.max(0, this.now() - this.expectedAt);
      this.schedule();
    }, this.intervalMs);
    this.timer.unref?.();
  }
}

let shared: EventLoopLag | undefined;

/** The process's one EventLoopLag (started on first use): every admission control of a process reads the same loop. */
export function processEventLoopLag(): EventLoopLag {
  return (shared ??= new EventLoopLag().start());
}
