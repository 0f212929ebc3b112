import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { deterministicId, newId } from './ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids', () => {
  it('newId gives distinct UUIDv7s that sort in the order they were made, across many pools of random bytes', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5_000 }, () => newId());
    expect(ids.every((id) => V7.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The first 48 bits are the time of making.
    const msecs = Number.parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('newId lays its bytes out as uuid\'s v7 does for the same time, sequence and random bytes', () => {
    const id = newId();
    const b = parse(id);
    const msecs = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    const seq = ((b[6]! & 0x0f) << 28) | (b[7]! << 20) | ((b[8]! & 0x3f) << 14) | (b[9]! << 6) | (b[10]! >>> 2);
    const random = new Uint8Array(16);
    random[10] = b[10]! & 0x03;
    random.set(b.subarray(11), 11);
    expect(uuidv7({ random, msecs, seq })).toBe(id);
  });

  it('deterministicId is uuid\'s v5 of the parts\' JSON in Chronicle\'s namespace, whatever characters they hold', () => {
    for (const parts of [['execution', 'ns', 'flow', 'key'], ['webhook', 'ünïcode', '日本語', '🎉'], ['lone', '\ud800', 'x\udc00y'], [], ['']]) {
      expect(deterministicId(...parts)).toBe(uuidv5(JSON.stringify(parts), '7d3c5f0e-2b8a-5f61-9c1e-6a4b0d2e8f11'));
    }
  });

  it('deterministicId agrees with uuid\'s v5 on any parts (its own SHA-1 and formatting)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }), (parts) => deterministicId(...parts) === uuidv5(JSON.stringify(parts), '7d3c5f0e-2b8a-5f61-9c1e-6a4b0d2e8f11')),
      { numRuns: 1000 },
    );
  });

  it('deterministicId gives the same id for the same parts and another for other parts', () => {
    expect(deterministicId('execution', 'ns', 'flow', 'key')).toBe(deterministicId('execution', 'ns', 'flow', 'key'));
    expect(deterministicId('execution', 'ns', 'flow', 'key')).not.toBe(deterministicId('execution', 'ns', 'flow', 'other'));
  });
});
