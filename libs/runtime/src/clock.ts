/** The one place that reads the wall clock; the domain receives `now` from here. */
export interface Clock {
  now(): string;
}
export const systemClock: Clock = { now: () => new Date().toISOString() };
