/**
 * The worker's lanes: at most `limit` tasks run at once. `admit` resolves as soon as the task
 * has a lane and has started (not when it ends), so whoever hands tasks in waits only while
 * every lane is busy: a long task holds one lane, never the ones after it.
 */
export class TaskPool {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly runs = new Set<Promise<void>>();

  constructor(private readonly limit: number) {}

  /** Waits for a free lane (first come, first served), then starts `task` in it. */
  async admit(task: () => Promise<void>): Promise<void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    const run = task()
      .catch(() => undefined)
      .finally(() => {
        this.runs.delete(run);
        this.active--;
        this.waiting.shift()?.();
      });
    this.runs.add(run);
  }

  /** Resolves when every task admitted so far (and any admitted meanwhile) has ended. */
  async drain(): Promise<void> {
    while (this.runs.size > 0) await Promise.all([...this.runs]);
  }

  get running(): number {
    return this.active;
  }
}
