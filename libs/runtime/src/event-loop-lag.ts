/**
 * How far behind its event loop the process is now, in ms. Under overload a request, even one
 * that is only refused, waits for its turn in the loop: a loop running late is the first sign
 * that more work was accepted than the process (or the CPU it is given) can do, before any
 * in-flight count shows it. Admission control reads it (InFlightLimit `loopDelay`).
 *
 * A timer that should fire every `intervalMs` measures how late it fires. The lag is the larger
 * of the last tick's lateness and how overdue the next tick is now: after a stall the timer phase
 * runs before the requests that queued during it are read, so those see the stall and are shed.
 * The timer is unref'd: it never keeps a process alive.
 */
export class EventLoopLag {
  private timer?: ReturnType<typeof setTimeout>;
  private expectedAt = 0;
  private lastLateMs = 0;

  constructor(private readonly intervalMs = 50, private readonly now: () => number = () => performance.now()) {}

  /** The lag now, in ms (0 until started). */
  get lagMs(): number {
    if (!this.timer) return 0;
    return Math.max(this.lastLateMs, this.now() - this.expectedAt);
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
  }

  private schedule(): void {
    this.expectedAt = this.now() + this.intervalMs;
    this.timer = setTimeout(() => {
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
