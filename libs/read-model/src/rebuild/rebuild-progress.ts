import type { RebuildProgressRecord } from './rebuild-state.js';

/**
 * Speed and ETA of a rebuild run. Events per second over the run so far; the ETA divides the
 * log positions left by the positions replayed per second (positions, not events, because
 * events of streams the projection does not read also lie between the checkpoint and the head).
 */
export class RebuildProgress {
  private events = 0;
  private position: bigint | undefined;
  private readonly startedAt: number;

  constructor(
    private readonly from: bigint | undefined,
    private head: bigint | undefined,
    private readonly previousEvents: number,
    now = performance.now(),
  ) {
    this.position = from;
    this.startedAt = now;
  }

  batch(events: number, position: bigint): void {
    this.events += events;
    this.position = position;
  }

  setHead(head: bigint | undefined): void {
    if (head !== undefined) this.head = head;
  }

  snapshot(now = performance.now()): RebuildProgressRecord {
    const seconds = Math.max(0.001, (now - this.startedAt) / 1000);
    const eventsPerSecond = this.events / seconds;
    const covered = this.position === undefined ? 0 : Number(this.position - (this.from ?? 0n));
    const left = this.head === undefined || this.position === undefined ? undefined : Math.max(0, Number(this.head - this.position));
    const positionsPerSecond = covered / seconds;
    const etaSeconds = left === undefined ? undefined : left === 0 ? 0 : positionsPerSecond > 0 ? left / positionsPerSecond : undefined;
    return {
      position: this.position,
      head: this.head,
      eventsProjected: this.previousEvents + this.events,
      eventsPerSecond: Math.round(eventsPerSecond * 10) / 10,
      etaSeconds: etaSeconds === undefined ? undefined : Math.round(etaSeconds * 10) / 10,
    };
  }
}
