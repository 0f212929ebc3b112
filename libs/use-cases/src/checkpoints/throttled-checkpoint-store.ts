import type { CheckpointStore } from './checkpoint-store.port.js';

/**
 * Saves at most one checkpoint per name every `intervalMs`: the first save of a quiet period is
 * written at once (its error reaches the caller, which handles its batch again), later ones are
 * kept and written by a timer, and `flush` writes what is kept (call it when stopping). A
 * subscriber that re-sends after a crash (the outbox relay, the flow-trigger listener: their
 * consumers are idempotent) then re-sends at most `intervalMs` of work, and a busy one no
 * longer writes a row per batch (2-3 writes per execution before).
 */
export class ThrottledCheckpointStore implements CheckpointStore {
  private readonly lastWrite = new Map<string, number>();
  private readonly pending = new Map<string, bigint>();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly inner: CheckpointStore,
    private readonly intervalMs = 250,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  load(name: string): Promise<bigint | undefined> {
    return this.inner.load(name);
  }

  async save(name: string, position: bigint): Promise<void> {
    const last = this.lastWrite.get(name);
    if (last === undefined || this.now() - last >= this.intervalMs) {
      this.pending.delete(name);
      await this.inner.save(name, position);
      this.lastWrite.set(name, this.now());
      return;
    }
    const kept = this.pending.get(name);
    if (kept === undefined || position > kept) this.pending.set(name, position);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(this.onError);
    }, this.intervalMs);
    this.timer.unref?.();
  }

  /** Writes every kept checkpoint now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const kept = [...this.pending];
    this.pending.clear();
    for (const [name, position] of kept) {
      try {
        await this.inner.save(name, position);
        this.lastWrite.set(name, this.now());
      } catch (error) {
        // Kept for the next flush (unless a newer position arrived meanwhile).
        if (!this.pending.has(name)) this.pending.set(name, position);
        throw error;
      }
    }
  }
}
