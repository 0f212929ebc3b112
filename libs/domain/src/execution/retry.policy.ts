import type { RetryPolicy } from '../flow/flow.model.js';
import { addMs, msBetween, parseIsoDuration } from './iso-duration.js';

const ms = (duration: string | undefined): number => (duration === undefined ? 0 : (parseIsoDuration(duration) ?? 0));

/** A number in [0, 1) derived from text: the `random` backoff without a random source (FNV-1a). */
export const seededFraction = (seed: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x1_0000_0000;
};

/** The wait before attempt `failedAttempts + 1`, Kestra's constant / exponential / random backoff. */
export const backoffMs = (policy: RetryPolicy, failedAttempts: number, seed: string): number => {
  switch (policy.type) {
    case 'constant':
      return ms(policy.interval);
    case 'exponential': {
      const grown = ms(policy.interval) * (policy.delayFactor ?? 2) ** Math.max(0, failedAttempts - 1);
      return policy.maxInterval === undefined ? grown : Math.min(grown, ms(policy.maxInterval));
    }
    case 'random': {
      const min = ms(policy.minInterval);
      const max = Math.max(min, ms(policy.maxInterval));
      return Math.floor(min + (max - min) * seededFraction(seed));
    }
  }
};

/**
 * When the next attempt may run, or undefined when the policy is exhausted: `maxAttempt` counts
 * every attempt, the first included; `maxDuration` bounds the time since the first attempt began.
 */
export const nextAttemptAt = (
  policy: RetryPolicy,
  failedAttempts: number,
  firstAttemptAt: string,
  now: string,
  seed: string,
): string | undefined => {
  if (policy.maxAttempt !== undefined && failedAttempts >= policy.maxAttempt) return undefined;
  const wait = backoffMs(policy, failedAttempts, seed);
  if (policy.maxDuration !== undefined && msBetween(firstAttemptAt, now) + wait > ms(policy.maxDuration)) return undefined;
  return addMs(now, wait);
};
