import { createHash, randomFillSync } from 'node:crypto';

/** Random bytes for 256 ids drawn at once: one getrandom call instead of one per id (≈ 1.5 % of the webhook path's CPU). */
const POOL_BYTES = 16 * 256;
let pool = new Uint8Array(0);
let used = 0;

/** The offset in `pool` of 16 fresh random bytes. */
function random16(): number {
  if (used + 16 > pool.length) {
    pool = randomFillSync(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  const at = used;
  used += 16;
  return at;
}

/** uuid's own v7 state, kept here because ids given their random bytes skip it: ids of one millisecond still sort in order. */
const clock = { msecs: -Infinity, seq: 0 };

/** The ASCII of each byte's two lowercase hex digits, and the text of an id, written in place (a dozen ids per execution: no view, buffer or partial string each). */
const HEX = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const hex = i.toString(16).padStart(2, '0');
  HEX[2 * i] = hex.charCodeAt(0);
  HEX[2 * i + 1] = hex.charCodeAt(1);
}
const text = Buffer.alloc(36, '-');
const bytes = new Uint8Array(16);

/** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` of `bytes`, as uuid's stringify writes it. */
function formatted(): string {
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) at++; // the dash stays
    text[at++] = HEX[2 * bytes[i]!]!;
    text[at++] = HEX[2 * bytes[i]! + 1]!;
  }
  return text.toString('latin1', 0, 36);
}

/**
 * Time-ordered ids for everything that is not deterministic (UUIDv7, monotonic within this
 * process): the layout of uuid's v7 (48 bits of milliseconds, version, a 32-bit sequence seeded
 * at random each millisecond, variant, 42 random bits), written here without its allocations.
 */
export const newId = (): string => {
  const r = random16();
  const now = Date.now();
  if (now > clock.msecs) {
    clock.msecs = now;
    clock.seq = ((pool[r + 6]! & 0x7f) << 24) | (pool[r + 7]! << 16) | (pool[r + 8]! << 8) | pool[r + 9]!;
  } else {
    clock.seq = (clock.seq + 1) | 0;
    if (clock.seq === 0) clock.msecs++;
  }
  const { msecs, seq } = clock;
  bytes[0] = (msecs / 0x10000000000) & 0xff;
  bytes[1] = (msecs / 0x100000000) & 0xff;
  bytes[2] = (msecs / 0x1000000) & 0xff;
  bytes[3] = (msecs / 0x10000) & 0xff;
  bytes[4] = (msecs / 0x100) & 0xff;
  bytes[5] = msecs & 0xff;
  bytes[6] = 0x70 | ((seq >>> 28) & 0x0f);
  bytes[7] = (seq >>> 20) & 0xff;
  bytes[8] = 0x80 | ((seq >>> 14) & 0x3f);
  bytes[9] = (seq >>> 6) & 0xff;
  bytes[10] = ((seq << 2) & 0xff) | (pool[r + 10]! & 0x03);
  for (let i = 11; i < 16; i++) bytes[i] = pool[r + i]!;
  return formatted();
};

const CHRONICLE_NAMESPACE = '7d3c5f0e-2b8a-5f61-9c1e-6a4b0d2e8f11';

/**
 * Deterministic ids for exactly-once creation: the same parts always give the same id,
 * so a retried request, a redelivered message or a re-fired tick appends with
 * NO_STREAM to a stream that already exists and is rejected instead of duplicated.
 */
export const deterministicId = (...parts: readonly string[]): string => {
  // uuid's v5 (SHA-1 of the namespace's bytes and the name's UTF-8), without parsing the namespace
  // and copying the name's bytes on every call. JSON.stringify's text is well-formed (it escapes
  // lone surrogates), so its UTF-8 is the one uuid encodes.
  const hash = createHash('sha1').update(NAMESPACE_BYTES).update(JSON.stringify(parts), 'utf8').digest();
  for (let i = 0; i < 16; i++) bytes[i] = hash[i]!;
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatted();
};

const NAMESPACE_BYTES = Buffer.from(CHRONICLE_NAMESPACE.replace(/-/g, ''), 'hex');
