/** One partition's committed position: the offset of the next record to read. */
export interface PartitionOffset {
  readonly partition: number;
  readonly offset: string;
}

/** Sends one OffsetCommit for these partitions of the member's topic; rejects when the broker refuses it. */
export type CommitRequest = (offsets: readonly PartitionOffset[]) => Promise<void>;

/**
 * Commits a consumer's progress at most once per `intervalMs`, and always within `intervalMs` of a
 * record being done.
 *
 * kafkajs with `autoCommit` commits after EVERY batch, whatever its `autoCommitInterval`: at low and
 * medium rates a batch is one or two records, so each record cost an OffsetCommit (an append to
 * `__consumer_offsets` on the broker) on top of its Fetch. Measured in distributed mode, one
 * benchmark01 execution made 7.5 OffsetCommits, the largest share of the broker's requests and of
 * its CPU. Here the first record done after a quiet second is committed at once, later ones join one
 * trailing commit a second later at most.
 *
 * What this gives up: a record done but not yet committed is delivered again after a crash or after
 * its partition moves (at most `intervalMs` of records, the same bound kafkajs's interval gave a long
 * batch). Every consumer is idempotent (the bus contract is at-least-once). The member commits what
 * it has before it leaves the group (`flush` on stop and when a rebalance starts), so a graceful
 * hand-over redelivers nothing in the usual case.
 */
export class OffsetCommitter {
  /** Per partition, the next offset to read as done and not yet committed. */
  private readonly pending = new Map<number, string>();
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private committing: Promise<void> | undefined;

  constructor(
    private readonly commit: CommitRequest,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The record at `offset` of `partition` is done (handled or dead-lettered). */
  done(partition: number, offset: string): void {
    this.pending.set(partition, (BigInt(offset) + 1n).toString());
    if (this.timer !== undefined || this.committing !== undefined) return;
    const wait = this.lastCommitAt + this.intervalMs - this.now();
    if (wait <= 0) void this.flush();
    else this.timer = setTimeout(() => void this.flush(), wait);
  }

  /** Records done but not committed yet (for tests and diagnostics). */
  get uncommitted(): ReadonlyMap<number, string> {
    return this.pending;
  }

  /**
   * Commits what is done now (one request). A failed commit (a rebalance took the partitions, the
   * broker is away) leaves the offsets pending for the next commit; `forget` drops them once the
   * member knows they are no longer its own.
   */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.committing) await this.committing;
    if (this.pending.size === 0) return;
    const offsets = [...this.pending].map(([partition, offset]) => ({ partition, offset }));
    this.committing = this.commit(offsets).then(
      () => {
        this.lastCommitAt = this.now();
        // Only what was sent: a record done while the request was out stays pending.
        for (const { partition, offset } of offsets) if (this.pending.get(partition) === offset) this.pending.delete(partition);
      },
      (error: unknown) => {
        this.lastCommitAt = this.now();
        this.onError(error);
      },
    );
    try {
      await this.committing;
    } finally {
      this.committing = undefined;
    }
    // Records done while the request was out, or a failed commit: the next one is due an interval later.
    if (this.pending.size > 0 && this.timer === undefined) this.timer = setTimeout(() => void this.flush(), this.intervalMs);
  }

  /** A new assignment: the group's committed offsets are the truth again; nothing of before is committed. */
  forget(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  /** Stops the trailing commit (after a last `flush`, when the member leaves). */
  close(): void {
    this.forget();
  }
}
