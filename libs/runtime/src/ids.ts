import { createHash, randomFillSync } from 'node:crypto';
import { parse as uuidBytes, v7 as uuidv7 } from 'uuid';

/** Random bytes for 256 ids drawn at once: one getrandom call instead of one per id (≈ 1.5 % of the webhook path's CPU). */
const POOL_BYTES = 16 * 256;
let pool = new Uint8Array(0);
let used = 0;

function random16(): Uint8Array {
  if (used + 16 > pool.length) {
    pool = randomFillSync(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  const bytes = pool.subarray(used, used + 16);
  used += 16;
  return bytes;
}

/** uuid's own v7 state, kept here because ids given their random bytes skip it: ids of one millisecond still sort in order. */
const clock = { msecs: -Infinity, seq: 0 };

/** Time-ordered ids for everything that is not deterministic (UUIDv7, monotonic within this process). */
export const newId = (): string => {
  const random = random16();
  const now = Date.now();
  if (now > clock.msecs) {
    clock.msecs = now;
    clock.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    clock.seq = (clock.seq + 1) | 0;
    if (clock.seq === 0) clock.msecs++;
  }
  return uuidv7({ random, msecs: clock.msecs, seq: clock.seq });
};

const CHRONICLE_NAMESPACE = '7d3c5f0e-2b8a-5f61-9c1e-6a4b0d2e8f11';

/**
 * Deterministic ids for exactly-once creation: the same parts always give the same id,
 * so a retried request, a redelivered message or a re-fired tick appends with
 * NO_STREAM to a stream that already exists and is rejected instead of duplicated.
 */
export const deterministicId = (...parts: readonly string[]): string => uuidV5(JSON.stringify(parts));

const NAMESPACE_BYTES = uuidBytes(CHRONICLE_NAMESPACE);
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * uuid's `v5(name, CHRONICLE_NAMESPACE)`, to the character (ids.unit.spec.ts checks it): SHA-1 of the
 * namespace's bytes and the name's UTF-8, version 5 and the RFC variant set. uuid's own parses and
 * validates the namespace and encodes the name by hand on every call, ≈ half of the id's cost on
 * the webhook path (one per execution). The name is JSON text, which never holds a lone surrogate
 * (JSON.stringify escapes them), so Node's UTF-8 encoding and uuid's agree.
 */
function uuidV5(name: string): string {
  const b = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
  const b6 = (b[6]! & 0x0f) | 0x50;
  const b8 = (b[8]! & 0x3f) | 0x80;
  return `${HEX[b[0]!]}${HEX[b[1]!]}${HEX[b[2]!]}${HEX[b[3]!]}-${HEX[b[4]!]}${HEX[b[5]!]}-${HEX[b6]}${HEX[b[7]!]}-${HEX[b8]}${HEX[b[9]!]}-${HEX[b[10]!]}${HEX[b[11]!]}${HEX[b[12]!]}${HEX[b[13]!]}${HEX[b[14]!]}${HEX[b[15]!]}`;
}
