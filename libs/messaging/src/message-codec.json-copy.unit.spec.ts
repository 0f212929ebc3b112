import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeValue, jsonCopy } from './message-codec.js';

/** What a Kafka consumer gets: the value through its JSON text. */
const roundTrip = (value: unknown): unknown => JSON.parse(encodeValue(value)) as unknown;

const isDeeplyFrozen = (value: unknown): boolean =>
  value === null || typeof value !== 'object' || (Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen));

describe('jsonCopy', () => {
  it('is the JSON round trip of any JSON-like value, to the text, and deeply frozen', () => {
    // Anything JSON-ish, with the cases JSON changes: -0, NaN, Infinity, undefined (in objects and arrays), holes, integer-like keys.
    const leaf = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.double(), fc.integer(), fc.constant(undefined), fc.constant(-0));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 5 }),
      object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('0', '10', '2', 'a')), tie('node'), { maxKeys: 5 }),
    })).node;
    fc.assert(fc.property(value, (v) => {
      if (v === undefined) return;
      const copy = jsonCopy(v);
      expect(copy).toStrictEqual(roundTrip(v));
      expect(JSON.stringify(copy)).toBe(JSON.stringify(v));
      expect(isDeeplyFrozen(copy)).toBe(true);
    }), { numRuns: 500 });
  });

  it('goes through the text for what JSON treats specially: toJSON (dates), class instances, Maps, a __proto__ key', () => {
    class Point { constructor(readonly x: number) {} }
    const tricky = {
      at: new Date('2026-01-02T03:04:05.000Z'),
      point: new Point(1),
      map: new Map([['a', 1]]),
      custom: { toJSON: () => 'custom' },
      list: [() => 1, Symbol('s'), undefined],
      fn: () => 1,
      nested: JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
    };
    const copy = jsonCopy(tricky);
    expect(copy).toStrictEqual(roundTrip(tricky));
    expect(isDeeplyFrozen(copy)).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses what JSON refuses, with its error', () => {
    expect(() => jsonCopy(undefined)).toThrow(TypeError);
    expect(() => jsonCopy(() => 1)).toThrow(TypeError);
    expect(() => jsonCopy({ n: 1n })).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => jsonCopy(cycle)).toThrow(TypeError);
  });

  it('holds no reference to the value it copied', () => {
    const value = { list: [1, { a: 'b' }], inner: { x: 1 } };
    const copy = jsonCopy(value) as typeof value;
    value.list.push(2);
    value.inner.x = 2;
    expect(copy).toEqual({ list: [1, { a: 'b' }], inner: { x: 1 } });
  });
});
