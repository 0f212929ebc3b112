import { expect, it } from 'vitest';
import { eventually } from '@chronicle/testing';
import { TERMINAL, type SecuritySuite } from './security-suite.js';

const holder = (ns: string, id: string, lock: string) => `id: ${id}\nnamespace: ${ns}\nlocks: [${lock}]\ntasks:\n  - id: wait\n    type: Pause\n`;
const user = (ns: string, lock: string) => `id: lock-user\nnamespace: ${ns}\nlocks: [${lock}]\ntasks:\n  - id: a\n    type: Log\n    message: got it\n`;

/**
 * Named locks (Cloudomation's `lock`) belong to a namespace: teamA's flow can neither hold nor
 * block teamB's lock of the same name, nor see it listed, nor tell it from a lock nobody holds
 * by trying to release it.
 */
export function namedLocksScenario(suite: () => SecuritySuite): void {
  it('keeps named locks per namespace: another namespace\'s lock of the same name neither blocks, nor is listed, nor is released', async () => {
    const { admin, client, deploy, start, until, counted } = suite();
    for (const source of [holder('teamA', 'lock-holder', 'sec-db'), user('teamB', 'sec-db'), holder('teamB', 'lock-holder-b', 'sec-b-only')]) {
      expect((await deploy(admin, source)).errors).toBeUndefined();
    }
    const heldA = await start('teamA', 'lock-holder');
    await until(heldA, ['PAUSED']);
    const heldB = await start('teamB', 'lock-holder-b');
    await until(heldB, ['PAUSED']);
    // teamA holds its `sec-db`: teamB's flow asking for `sec-db` is not held up by it.
    const userB = await start('teamB', 'lock-user');
    await until(userB, TERMINAL);
    expect((await admin.data(`query($id: ID!) { execution(id: $id) { state } }`, { id: userB })).execution.state).toBe('SUCCESS');
    counted('abuse: named locks across namespaces');

    // The table lists each namespace's lock on its own, and a limited caller only its namespace's.
    const listed = async (who: string) => (await client(who).data(`{ namedLocks { name namespace holder { namespace executionId } waiters { namespace } } }`)).namedLocks as Array<{ name: string; namespace: string; holder?: { namespace: string; executionId: string } }>;
    await eventually('both locks held', async () => {
      const all = await listed('VIEWER');
      return all.some((l) => l.namespace === 'teamA' && l.name === 'sec-db') && all.some((l) => l.namespace === 'teamB' && l.name === 'sec-b-only');
    });
    for (const who of ['VIEWER:teamA', 'EDITOR:teamA', 'ADMIN:teamA']) {
      const mine = await listed(who);
      expect(mine.filter((l) => l.namespace !== 'teamA' || l.holder?.namespace !== 'teamA'), who).toEqual([]);
      expect(mine.some((l) => l.name === 'sec-db' && l.holder?.executionId === heldA), who).toBe(true);
      const rest = await client(who).rest('GET', '/api/v1/locks');
      const restLocks = (await rest.json()) as Array<{ namespace: string; holder?: { namespace: string } }>;
      expect(restLocks.filter((l) => l.namespace !== 'teamA' || (l.holder && l.holder.namespace !== 'teamA')), `REST as ${who}`).toEqual([]);
      // Naming the lock or the namespace changes nothing: teamB's are refused or absent.
      expect((await client(who).data(`{ namedLocks(name: "sec-b-only") { name } }`)).namedLocks, who).toEqual([]);
      expect((await client(who).graphql(`{ namedLocks(namespace: "teamB") { name } }`)).errors?.[0]?.extensions?.code, who).toBe('FORBIDDEN');
      counted('abuse: named locks across namespaces', 4);
    }

    // Force release: teamB's lock answers as a lock nobody holds (same code, same words), and stays held.
    const adminA = client('ADMIN:teamA');
    const release = async (name: string, namespace?: string) => adminA.graphql(`mutation($n: String!, $ns: String) { releaseLock(name: $n, namespace: $ns) { name namespace } }`, { n: name, ns: namespace });
    const foreign = await release('sec-b-only');
    const nobody = await release('sec-nobody-holds');
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(foreign.errors?.[0]?.message.replace('sec-b-only', 'X')).toBe(nobody.errors?.[0]?.message.replace('sec-nobody-holds', 'X'));
    const [foreignNamed, nobodyNamed] = [await release('sec-b-only', 'teamB'), await release('sec-nobody-holds', 'teamB')];
    expect(foreignNamed.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(foreignNamed.errors?.[0]?.message.replace('sec-b-only', 'X')).toBe(nobodyNamed.errors?.[0]?.message.replace('sec-nobody-holds', 'X'));
    const restForeign = await adminA.rest('DELETE', `/api/v1/locks?name=sec-b-only`);
    const restNobody = await adminA.rest('DELETE', `/api/v1/locks?name=sec-nobody-holds`);
    expect([restForeign.status, restNobody.status]).toEqual([404, 404]);
    expect((await listed('VIEWER')).find((l) => l.name === 'sec-b-only')?.holder?.executionId).toBe(heldB);
    // Its own `sec-db` it releases, and it is teamA's that goes.
    expect(await adminA.data(`mutation { releaseLock(name: "sec-db") { name namespace } }`)).toEqual({ releaseLock: { name: 'sec-db', namespace: 'teamA' } });
    counted('abuse: named locks across namespaces', 4);
    for (const id of [heldA, heldB]) await admin.data(`mutation($id: ID!) { killExecution(id: $id) { id } }`, { id });
  });
}
