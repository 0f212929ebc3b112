import { EventStoreUnavailableError } from '../errors.js';
import type { AppendRequest, AppendResult } from '../event-store.port.js';

/** Writes one batch atomically (one `chronicle_append` call: one transaction, one commit). */
export type BatchWriter = (batch: readonly AppendRequest[]) => Promise<AppendResult[]>;

export interface AppendCoalescerOptions {
  /** Batches written at once (default 2: the next one is prepared while one commits). */
  readonly maxInFlight?: number;
  /** Largest number of stream requests in one combined write (default 256). */
  readonly maxRequests?: number;
}

interface Caller {
  readonly requests: readonly AppendRequest[];
  /** Index of its first request in the group's batch. */
  readonly from: number;
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

interface Group {
  readonly requests: AppendRequest[];
  readonly streams: Set<string>;
  readonly callers: Caller[];
}

/**
 * Appends of concurrent callers written together. chronicle_append serialises appends from
 * position allocation to commit (postgres-schema.ts), so every append costs one commit, one WAL
 * flush and one NOTIFY in a row, whatever the pool size. Here, the requests that arrive while
 * `maxInFlight` batches are being written wait, and then go as ONE call: under load one commit
 * serves many executions; alone, a request is written at once (a microtask later).
 *
 * Each caller's batch stays atomic and in order. A combined write that fails for one caller's
 * reason (a wrong expected revision, a deleted stream, a duplicate event id, a value Postgres
 * refuses) must not fail the others: every caller's batch is then written on its own and gets
 * its own answer. Only an unreachable store fails them all at once. A stream is never in one
 * combined write twice (a second request for it waits for the next write).
 */
export class AppendCoalescer {
  private readonly queue: Group[] = [];
  private readonly maxInFlight: number;
  private readonly maxRequests: number;
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly write: BatchWriter, options: AppendCoalescerOptions = {}) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 2);
    this.maxRequests = Math.max(1, options.maxRequests ?? 256);
  }

  append(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    return new Promise<AppendResult[]>((resolve, reject) => {
      let group = this.queue.at(-1);
      if (!group || group.requests.length + requests.length > this.maxRequests || requests.some((r) => group!.streams.has(r.streamId))) {
        group = { requests: [], streams: new Set(), callers: [] };
        this.queue.push(group);
      }
      group.callers.push({ requests, from: group.requests.length, resolve, reject });
      for (const request of requests) {
        group.requests.push(request);
        group.streams.add(request.streamId);
      }
      // The requests of this same tick join it (several starts of one batch of HTTP requests).
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const group = this.queue.shift()!;
      this.inFlight++;
      void this.run(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(group: Group): Promise<void> {
    if (group.callers.length === 1) return this.alone(group.callers[0]!);
    let results: AppendResult[];
    try {
      results = await this.write(group.requests);
    } catch (error) {
      if (error instanceof EventStoreUnavailableError) {
        for (const caller of group.callers) caller.reject(error);
        return;
      }
      // Whose refusal it was, and whether the others would succeed, only their own writes tell.
      await Promise.all(group.callers.map((caller) => this.alone(caller)));
      return;
    }
    for (const caller of group.callers) caller.resolve(results.slice(caller.from, caller.from + caller.requests.length));
  }

  private async alone(caller: Caller): Promise<void> {
    try {
      caller.resolve(await this.write(caller.requests));
    } catch (error) {
      caller.reject(error);
    }
  }
}
