export interface AdmitOptions {
  /** Called every `waitTickMs` while the task waits for a lane (to keep a consumer group membership). */
  readonly whileWaiting?: () => void;
  /** Asked once the lane is free: false gives the lane back without starting the task. */
  readonly stillWanted?: () => boolean;
}

/**
 * The worker's lanes: at most `limit` tasks run at once. `admit` resolves as soon as the task
 * has a lane and has started (not when it ends), so whoever hands tasks in waits only while
 * every lane is busy: a long task holds one lane, never the ones after it.
 */
export class TaskPool {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly runs = new Set<Promise<void>>();

  constructor(
    private readonly limit: number,
    private readonly waitTickMs = 3_000,
  ) {}

  /** Waits for a free lane (first come, first served), then starts `task` in it; false when it was not wanted any more. */
  async admit(task: () => Promise<void>, options: AdmitOptions = {}): Promise<boolean> {
    if (this.active >= this.limit) {
      const tick = options.whileWaiting ? setInterval(options.whileWaiting, this.waitTickMs) : undefined;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      clearInterval(tick);
    } else this.active++;
    // A lane handed over by a task that ended is counted already (see `release`).
    if (options.stillWanted && !options.stillWanted()) {
      this.release();
      return false;
    }
    const run = task()
      .catch(() => undefined)
      .finally(() => {
        this.runs.delete(run);
        this.release();
      });
    this.runs.add(run);
    return true;
  }

  /** Resolves when every task admitted so far (and any admitted meanwhile) has ended. */
  async drain(): Promise<void> {
    while (this.runs.size > 0) await Promise.all([...this.runs]);
  }

  get running(): number {
    return this.active;
  }

  /** A freed lane goes straight to the first waiter (so a newcomer cannot take it in between), else back to the pool. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
