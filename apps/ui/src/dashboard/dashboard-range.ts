/** The dashboard's time range: a period back from now, or a custom one. */
export type RangeChoice = 'hour' | 'day' | 'week' | 'custom';

export const RANGE_LABELS: Record<RangeChoice, string> = { hour: 'Last hour', day: 'Last day', week: 'Last week', custom: 'Custom' };
const SPAN_MS: Record<Exclude<RangeChoice, 'custom'>, number> = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 };
/** Buckets of whole minutes that the server's aggregates can sum exactly. */
const BUCKET_SECONDS: Record<Exclude<RangeChoice, 'custom'>, number> = { hour: 120, day: 3600, week: 6 * 3600 };

export interface DashboardRange { from: string; to: string; bucketSeconds?: number }

/**
 * The range asked of the server. A relative range ends at the next whole bucket after `now`
 * and starts a whole number of buckets before it, so buckets stay put as time moves on.
 */
export function resolveRange(choice: RangeChoice, now: number, custom?: { from?: string | null; to?: string | null }): DashboardRange | undefined {
  if (choice === 'custom') {
    const from = custom?.from ? Date.parse(custom.from) : NaN;
    const to = custom?.to ? Date.parse(custom.to) : now;
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return undefined;
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  }
  const bucket = BUCKET_SECONDS[choice] * 1000;
  const to = Math.ceil((now + 1) / bucket) * bucket;
  return { from: new Date(to - Math.ceil(SPAN_MS[choice] / bucket) * bucket).toISOString(), to: new Date(to).toISOString(), bucketSeconds: BUCKET_SECONDS[choice] };
}

/** How a bucket's start reads on the axis: the time within a day, the date beyond. */
export const bucketLabel = (choice: RangeChoice) => (at: string): string => {
  const d = new Date(at);
  return choice === 'week' || choice === 'custom' ? d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit' }) : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
};
