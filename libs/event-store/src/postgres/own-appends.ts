import type { AppendNotice } from '../subscription/append-notice.js';
import type { AppendedEvents } from '../subscription/appended-events.js';

/** One chronicle_append call of this store, from its start to its answer. */
export interface AppendTicket {
  settled: boolean;
  released: boolean;
  /** What the subscriptions may take without a read; undefined when they must read (a failure, a doubt). */
  appended: AppendedEvents | undefined;
  failed: boolean;
}

/** Last positions handed over whose notice has not come, at most (a notice lost with a dropped LISTEN connection stays). */
const MAX_HANDED = 10_000;

/**
 * The store's own appends on their way to its subscriptions, and the notices they cause.
 *
 * Each append is handed over when its answer comes, in the order the appends were started (a
 * later one waits for the earlier ones in flight), sorted by position among those released
 * together: two appends in flight may take the append lock in either order, and a subscription
 * takes an append only when it continues from its last position.
 *
 * Its NOTIFY reaches the LISTEN connection before or after that answer. A notice of an append
 * already handed over is dropped. A notice of this store's own (its "w") that comes before the
 * answer waits for the appends in flight: handed over by then, it is dropped; otherwise (the
 * append failed, or it could not be handed over) it wakes the subscriptions, which read. Every
 * other notice wakes them at once, as before. A failed append wakes them too: it may have
 * committed before its connection failed.
 */
export class OwnAppends {
  private readonly tickets: AppendTicket[] = [];
  private readonly handed = new Set<bigint>();
  private deferred: { readonly notice: AppendNotice; readonly until: AppendTicket }[] = [];

  constructor(
    private readonly writer: string,
    private readonly handOver: (appended: AppendedEvents) => void,
    private readonly wake: (notice?: AppendNotice) => void,
  ) {}

  begin(): AppendTicket {
    const ticket: AppendTicket = { settled: false, released: false, appended: undefined, failed: false };
    this.tickets.push(ticket);
    return ticket;
  }

  settle(ticket: AppendTicket, outcome: AppendedEvents | undefined | 'failed'): void {
    if (ticket.settled) return;
    ticket.settled = true;
    if (outcome === 'failed') ticket.failed = true;
    else ticket.appended = outcome;
    const ready: AppendTicket[] = [];
    while (this.tickets[0]?.settled) {
      const next = this.tickets.shift()!;
      next.released = true;
      ready.push(next);
    }
    if (ready.length === 0) return;
    const appended = ready.flatMap((t) => (t.appended ? [t.appended] : []));
    if (appended.length > 1) appended.sort((a, b) => (lastPosition(a) < lastPosition(b) ? -1 : 1));
    for (const a of appended) {
      if (this.handed.size >= MAX_HANDED) this.handed.clear();
      this.handed.add(lastPosition(a));
      this.handOver(a);
    }
    if (ready.some((t) => t.failed)) this.wake();
    if (this.deferred.length > 0) {
      const waiting = this.deferred;
      this.deferred = [];
      for (const d of waiting) {
        if (!d.until.released) this.deferred.push(d);
        else if (!this.handed.delete(d.notice.lastPosition)) this.wake(d.notice);
      }
    }
  }

  /** A NOTIFY (undefined: a reconnect or a payload that is no notice: everyone reads). */
  noticed(notice: AppendNotice | undefined): void {
    if (!notice) {
      this.handed.clear();
      this.wake();
      return;
    }
    if (this.handed.delete(notice.lastPosition)) return;
    const last = this.tickets.at(-1);
    if (notice.writer === this.writer && last) {
      this.deferred.push({ notice, until: last });
      return;
    }
    this.wake(notice);
  }
}

function lastPosition(appended: AppendedEvents): bigint {
  return appended.events[appended.events.length - 1]!.position;
}
