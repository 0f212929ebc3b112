import { describe, expect, it } from 'vitest';
import { mayStartFlowIn, NamespaceAllowSpecError, parseNamespaceAllow } from './namespace-access.js';

describe('which namespaces a flow may start flows in', () => {
  it('allows its own namespace and its children, nothing else by default', () => {
    expect(mayStartFlowIn('teamA', 'teamA', [])).toBe(true);
    expect(mayStartFlowIn('teamA', 'teamA.sub.deep', [])).toBe(true);
    expect(mayStartFlowIn('teamA', 'teamB', [])).toBe(false);
    expect(mayStartFlowIn('teamA', 'teamAB', [])).toBe(false);
    expect(mayStartFlowIn('teamA.sub', 'teamA', [])).toBe(false);
  });

  it('allows what a rule names, with children on both sides, and * for any', () => {
    const rules = parseNamespaceAllow(' teamA->shared , *->common.lib ');
    expect(rules).toEqual([{ from: 'teamA', to: 'shared' }, { from: '*', to: 'common.lib' }]);
    expect(mayStartFlowIn('teamA.sub', 'shared.tools', rules)).toBe(true);
    expect(mayStartFlowIn('teamB', 'shared', rules)).toBe(false);
    expect(mayStartFlowIn('teamB', 'common.lib.x', rules)).toBe(true);
    expect(mayStartFlowIn('teamB', 'common', rules)).toBe(false);
  });

  it.each(['teamA', 'teamA->', '->teamB', 'a->b->c', 'team A->b', 'a.->b'])('refuses the malformed entry %j, naming it', (entry) => {
    expect(() => parseNamespaceAllow(`x->y,${entry}`)).toThrow(NamespaceAllowSpecError);
    expect(() => parseNamespaceAllow(`x->y,${entry}`)).toThrow(/CHRONICLE_NAMESPACE_ALLOW entry 2/);
  });

  it('has no rule when unset or empty', () => {
    expect(parseNamespaceAllow(undefined)).toEqual([]);
    expect(parseNamespaceAllow(' , ')).toEqual([]);
  });
});
