import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { messageContract } from './message-contract.js';

const contract = messageContract<{ kind: string; items: { n: number }[] }>('things', 2, z.looseObject({ kind: z.string(), items: z.array(z.looseObject({ n: z.number() })) }));

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
};
const isDeeplyFrozen = (value: unknown): boolean =>
  value === null || typeof value !== 'object' || (Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen));

describe('messageContract.parse', () => {
  it('checks a frozen message (what the in-process bus hands every consumer group) once: the next consumer gets the same frozen result', () => {
    const message = deepFreeze({ schemaVersion: 2, kind: 'a', items: [{ n: 1, extra: { x: 'y' } }] });
    const first = contract.parse(message);
    expect(first).toEqual({ kind: 'a', items: [{ n: 1, extra: { x: 'y' } }] });
    expect(isDeeplyFrozen(first)).toBe(true);
    expect(contract.parse(message)).toBe(first);
  });

  it('parses a message that is not frozen (off Kafka) anew each time, into a value its consumer owns', () => {
    const message = { schemaVersion: 2, kind: 'a', items: [{ n: 1 }] };
    const first = contract.parse(message);
    const second = contract.parse(message);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(Object.isFrozen(first)).toBe(false);
  });

  it('refuses a frozen message that does not fit every time, with the same reason', () => {
    const message = deepFreeze({ schemaVersion: 2, kind: 'a', items: [{ n: 'one' }] });
    expect(() => contract.parse(message)).toThrow(/things: items\.0\.n: /);
    expect(() => contract.parse(message)).toThrow(/things: items\.0\.n: /);
    expect(() => contract.parse(deepFreeze({ schemaVersion: 3, kind: 'a', items: [] }))).toThrow('things: unknown schemaVersion 3; this build reads version 2');
  });
});
