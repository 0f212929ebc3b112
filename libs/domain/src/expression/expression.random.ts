import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * The randomness of `uuid()`, `id()` and `randomInt()`. The domain renders inside decisions that
 * are recorded and replayed, so "random" values are derived from a seed the caller supplies
 * (`ExpressionContext.randomSeed`) and a counter: the n-th draw of a context is
 * sha256(seed + ":" + n). Rendering the same context again gives the same values; two draws of
 * one context differ.
 */
export type RandomSource = () => Uint8Array;

export const seededRandom = (seed: string): RandomSource => {
  let counter = 0;
  return () => sha256(utf8ToBytes(`${seed}:${counter++}`));
};

/** A double in [0, 1) from the first 53 bits of a draw. */
export const randomDouble = (random: RandomSource): number => {
  const bytes = random();
  let value = 0;
  for (let i = 0; i < 7; i++) value = value * 256 + bytes[i]!;
  return Math.floor(value / 8) / 2 ** 53;
};

/** A version-4 UUID text, like Java's UUID.randomUUID(). */
export const randomUuid = (random: RandomSource): string => {
  const b = random().slice(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Kestra's IdUtils.create(): a random UUID written in base 62 (at most 22 characters). */
export const randomId = (random: RandomSource): string => {
  let n = BigInt(`0x${randomUuid(random).replaceAll('-', '')}`);
  let out = '';
  do {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  } while (n > 0n);
  return out;
};

/** Segment's KSUID epoch (2014-05-13T16:53:20Z), in seconds. */
const KSUID_EPOCH = 1_400_000_000;

/**
 * A KSUID (github.com/segmentio/ksuid, newer Kestra's `ksuid()`): 4 bytes of seconds since the KSUID
 * epoch, then 16 random bytes, in base 62, padded to 27 characters; sortable by time.
 */
export const randomKsuid = (random: RandomSource, epochMillis: number): string => {
  const seconds = Math.max(0, Math.floor(epochMillis / 1000) - KSUID_EPOCH);
  const bytes = [(seconds >>> 24) & 0xff, (seconds >>> 16) & 0xff, (seconds >>> 8) & 0xff, seconds & 0xff, ...random().slice(0, 16)];
  let n = BigInt(`0x${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
};
