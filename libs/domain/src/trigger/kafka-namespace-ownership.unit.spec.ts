import { describe, expect, it } from 'vitest';
import { parseNamespaceAllow } from '../namespace/namespace-access.js';
import { kafkaOwnershipIssue, KafkaPrefixSpecError, parseKafkaPrefixGrants, type KafkaOwnershipPolicy } from './kafka-namespace-ownership.js';
import { defaultKafkaTriggerGroup } from './kafka-reserved-names.js';

const policy = (grants: string | undefined, allow?: string, enforced = true): KafkaOwnershipPolicy =>
  ({ enforced, grants: parseKafkaPrefixGrants(grants), namespaceAllow: parseNamespaceAllow(allow) });
const issue = (ns: string, topic: string, groupId: string | undefined, p: KafkaOwnershipPolicy) =>
  kafkaOwnershipIssue(ns, { id: 'k', topic, groupId: groupId ?? defaultKafkaTriggerGroup('k') }, p);

describe('Kafka trigger ownership', () => {
  it('lets a namespace use its own prefix, its children\'s, and the groups it owns, or its own default group', () => {
    const p = policy(undefined);
    expect(issue('teamA', 'teamA.orders', undefined, p)).toBeUndefined();
    expect(issue('teamA', 'teamA.sub.events', 'teamA.readers', p)).toBeUndefined();
    expect(issue('teamA.sub', 'teamA.sub.events', 'teamA.sub.g', p)).toBeUndefined();
  });

  it('refuses another namespace\'s topics, a sibling with the same start, a parent\'s, an unowned one, and foreign groups, naming the field', () => {
    const p = policy(undefined);
    expect(issue('teamA', 'teamB.orders', undefined, p)).toMatchObject({ field: 'topic', message: expect.stringContaining('topic "teamB.orders" does not belong to namespace teamA') });
    expect(issue('teamA', 'teamAB.orders', undefined, p)?.field).toBe('topic');
    expect(issue('teamA.sub', 'teamA.orders', undefined, p)?.field).toBe('topic');
    expect(issue('teamA', 'orders', undefined, p)?.message).toContain('CHRONICLE_KAFKA_NAMESPACE_PREFIXES (e.g. teamA=orders)');
    expect(issue('teamA', 'teamA.orders', 'teamB.consumers', p)).toMatchObject({ field: 'groupId', message: expect.stringContaining('leave groupId out') });
    expect(issue('teamA', 'teamA.orders', 'billing', p)?.field).toBe('groupId');
  });

  it('applies the granted prefixes to the namespace, its parents and the namespaces allowed to reach it; `*` for all', () => {
    const p = policy('teamB=billing.|invoices,*=public.,ops=*', 'teamA->teamB');
    expect(issue('teamB', 'billing.x', 'billing.g', p)).toBeUndefined();
    expect(issue('teamB', 'invoices-eu', undefined, p)).toBeUndefined();
    expect(issue('teamA', 'billing.x', undefined, p)).toBeUndefined();
    expect(issue('teamC', 'billing.x', undefined, p)?.field).toBe('topic');
    expect(issue('teamC', 'public.news', 'public.teamC', p)).toBeUndefined();
    expect(issue('ops', 'anything', 'any-group', p)).toBeUndefined();
    expect(issue('ops.child', 'anything', undefined, p)?.field).toBe('topic');
    const parent = policy('teamA.sub=sub-topics.');
    expect(issue('teamA', 'sub-topics.x', undefined, parent)).toBeUndefined();
    expect(issue('teamA.other', 'sub-topics.x', undefined, parent)?.field).toBe('topic');
  });

  it('checks nothing when namespaces are not isolated', () => {
    expect(issue('teamA', 'teamB.orders', 'anything', policy(undefined, undefined, false))).toBeUndefined();
  });

  it('refuses a malformed setting, naming it and the entry', () => {
    expect(() => parseKafkaPrefixGrants('teamA')).toThrow(KafkaPrefixSpecError);
    expect(() => parseKafkaPrefixGrants('teamA=orders.,teamB=bad prefix')).toThrow(/CHRONICLE_KAFKA_NAMESPACE_PREFIXES entry 2/);
    expect(() => parseKafkaPrefixGrants('=orders')).toThrow(/entry 1/);
    expect(parseKafkaPrefixGrants(' teamA = a. | b , *=* ')).toEqual([{ namespace: 'teamA', prefix: 'a.' }, { namespace: 'teamA', prefix: 'b' }, { namespace: '*', prefix: '*' }]);
  });
  it('names only the grants of namespaces the reader is shown, and every namespace\'s (*) grants, in its message', () => {
    const p = policy('*=public.,teamB=billing.|invoices.,shared=common.', 'teamB->shared');
    const all = issue('teamB', 'orders', undefined, p)!.message;
    expect(all).toContain('"billing.", "invoices."');
    expect(all).toContain('"common."');
    const hidden = kafkaOwnershipIssue('teamB', { id: 'k', topic: 'orders', groupId: defaultKafkaTriggerGroup('k') }, p, (ns) => ns === 'shared')!.message;
    expect(hidden).toContain('"public."');
    expect(hidden).toContain('"common."');
    expect(hidden).not.toContain('billing.');
    expect(hidden).not.toContain('invoices.');
    // What the flow may use is unchanged: only the words are.
    expect(kafkaOwnershipIssue('teamB', { id: 'k', topic: 'billing.x', groupId: defaultKafkaTriggerGroup('k') }, p, () => false)).toBeUndefined();
  });
});
