/**
 * Sizes an in-flight bound from what the system is measured to do, not from a guess (Little's law:
 * executions in flight = rate × delay). Each admitted execution reports once how long it waited
 * before the engine took it up (its first state past CREATED): the queueing delay, whatever the
 * flow's own duration (a Sleep or a Pause does not count). Per window of `windowMs` with at least
 * `minSamples` reports:
 * - median delay above `targetDelayMs`: the engine is past its knee, and the bound falls to what
 *   the measured rate finishes within the target (rate × target), never below `floor`;
 * - delay within the target while the bound was reached: it grows by a tenth (at most `ceiling`).
 * A quiet window (too few reports) changes nothing: there is nothing to learn from it.
 */
export interface MeasuredCapacityOptions {
  /** The queueing delay accepted, in ms. */
  readonly targetDelayMs: number;
  /** The bound never falls below this (a few executions are always let in). */
  readonly floor: number;
  /** Nor rises above this (the configured bound); it starts there. */
  readonly ceiling: number;
  readonly windowMs?: number;
  readonly minSamples?: number;
  readonly now?: () => number;
}

export class MeasuredCapacity {
  private bound: number;
  private windowStart: number;
  private samples: number[] = [];
  private saturated = false;
  private lastRate: number | undefined;
  private readonly now: () => number;
  private readonly windowMs: number;
  private readonly minSamples: number;
  private readonly floor: number;

  constructor(private readonly options: MeasuredCapacityOptions) {
    this.now = options.now ?? Date.now;
    this.windowMs = options.windowMs ?? 1_000;
    this.minSamples = options.minSamples ?? 5;
    this.floor = Math.max(1, Math.min(options.floor, options.ceiling));
    this.bound = options.ceiling;
    this.windowStart = this.now();
  }

  /** The bound now. */
  get limit(): number {
    this.roll();
    return this.bound;
  }

  /** Executions taken up per second in the last informative window (undefined before one). */
  get rate(): number | undefined {
    return this.lastRate;
  }

  /** An admitted execution was taken up `delayMs` after it was admitted. */
  sample(delayMs: number): void {
    this.roll();
    this.samples.push(delayMs);
  }

  /** A start found the bound reached (it was refused, or took the last slot). */
  reached(): void {
    this.roll();
    this.saturated = true;
  }

  private roll(): void {
    const now = this.now();
    const elapsed = now - this.windowStart;
    if (elapsed < this.windowMs) return;
    // Every report of the window came within its first `windowMs` (each report rolls first).
    if (this.samples.length >= this.minSamples) this.adjust(this.samples.length / (this.windowMs / 1_000), median(this.samples));
    this.samples = [];
    this.saturated = false;
    this.windowStart = now;
  }

  private adjust(rate: number, delayMs: number): void {
    this.lastRate = rate;
    if (delayMs > this.options.targetDelayMs) {
      const sustainable = Math.ceil((rate * this.options.targetDelayMs) / 1_000);
      this.bound = Math.max(this.floor, Math.min(this.bound, sustainable));
    } else if (this.saturated) {
      this.bound = Math.min(this.options.ceiling, this.bound + Math.max(1, Math.ceil(this.bound / 10)));
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
