import { describe, expect, it } from 'vitest';
import type { BusMessage, MessageBus, Topics } from '@chronicle/messaging';
import { forceReleaseLock, LockAmbiguousError, LockNotHeldError } from './force-release-lock.js';
import type { NamedLockTable, NamedLockView, StoredLockClaim } from './named-locks.port.js';

const claim = (namespace: string, holder: string): StoredLockClaim => ({
  executionId: holder, holder, names: ['db'], namespace, flowId: 'f', priority: 0, requestedAt: '2025-01-01T00:00:00.000Z', status: 'held',
});

/** The lock table as far as a force release reads and changes it, in memory (the use case's logic is the subject). */
function table(held: StoredLockClaim[]) {
  const released: string[] = [];
  const locks: Pick<NamedLockTable, 'list' | 'forceRelease'> = {
    list: async (filter = {}) => held
      .filter((c) => filter.namespaces === undefined || filter.namespaces.includes(c.namespace))
      .filter((c) => filter.names === undefined || c.names.some((n) => filter.names!.includes(n)))
      .map((c): NamedLockView => ({ namespace: c.namespace, name: 'db', holder: c, waiters: [] })),
    forceRelease: async (namespace, name) => {
      released.push(`${namespace}/${name}`);
      return { previous: held.find((c) => c.namespace === namespace), granted: [] };
    },
  };
  const sent: BusMessage[] = [];
  const bus = { publish: async (_topic: string, messages: readonly BusMessage[]) => void sent.push(...messages) } as unknown as MessageBus;
  const deps = { locks, bus, topics: { commands: 'commands' } as Topics, clock: { now: () => '2025-01-01T00:00:01.000Z' } as never };
  return { deps, released, sent };
}

describe('forceReleaseLock: locks are per namespace', () => {
  it('releases the lock of the one namespace the caller may release it in, and tells its holder', async () => {
    const { deps, released, sent } = table([claim('teamA', 'a1'), claim('teamB', 'b1')]);
    const result = await forceReleaseLock(deps, { name: 'db' }, 'ADMIN:teamA', (ns) => ns === 'teamA');
    expect(result.previous.holder).toBe('a1');
    expect(released).toEqual(['teamA/db']);
    expect(sent.map((m) => (m.value as { type: string }).type)).toEqual(['RevokeLock']);
  });

  it('answers another namespace\'s lock as a lock nobody holds, named or not, and touches nothing', async () => {
    const { deps, released } = table([claim('teamB', 'b1')]);
    const refusals = await Promise.all([
      forceReleaseLock(deps, { name: 'db' }, 'ADMIN:teamA', (ns) => ns === 'teamA').catch((e: unknown) => e),
      forceReleaseLock(deps, { name: 'db', namespace: 'teamB' }, 'ADMIN:teamA', (ns) => ns === 'teamA').catch((e: unknown) => e),
    ]);
    const nobody = await forceReleaseLock(table([]).deps, { name: 'db', namespace: 'teamB' }, 'ADMIN:teamA', () => true).catch((e: unknown) => e);
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(LockNotHeldError);
    expect((refusals[1] as Error).message).toBe((nobody as Error).message);
    expect(released).toEqual([]);
  });

  it('asks which namespace when several the caller may release in hold the name, and releases the one named', async () => {
    const { deps, released } = table([claim('teamA', 'a1'), claim('teamA.sub', 's1')]);
    const ambiguous = await forceReleaseLock(deps, { name: 'db' }, 'ADMIN', () => true).catch((e: unknown) => e);
    expect(ambiguous).toBeInstanceOf(LockAmbiguousError);
    expect((ambiguous as Error).message).toBe('lock "db" is held in namespaces teamA, teamA.sub: name the one to release with namespace');
    expect((await forceReleaseLock(deps, { name: 'db', namespace: 'teamA.sub' }, 'ADMIN', () => true)).previous.holder).toBe('s1');
    expect(released).toEqual(['teamA.sub/db']);
  });
});
