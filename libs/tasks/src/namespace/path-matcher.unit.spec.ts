import { describe, expect, it } from 'vitest';
import { pathMatcher } from './path-matcher.js';

describe('pathMatcher', () => {
  it('matches globs and regex: patterns as Java\'s PathMatcher does', () => {
    const matches = pathMatcher(['scripts/*.sql', 'regex:/data/[0-9]+\\.csv', 'glob:/conf/{a,b}.yml']);
    expect(['/scripts/a.sql', '/x/scripts/b.sql', '/data/12.csv', '/conf/a.yml', '/conf/b.yml'].every(matches)).toBe(true);
    expect(['/scripts/a/b.sql', '/data/x.csv', '/conf/c.yml'].some(matches)).toBe(false);
  });

  it('runs patterns on RE2: a catastrophic regex is linear, a backreference is refused naming the pattern', () => {
    expect(() => pathMatcher(['regex:/(a)\\1'])).toThrow(/files pattern "regex:\/\(a\)\\1": invalid regular expression .*regular expressions run on RE2/);
    // On a backtracking engine this is 2^40 steps; on RE2 a linear scan.
    expect(pathMatcher(['regex:/(a+)+'])(`/${'a'.repeat(40)}b`)).toBe(false);
    expect(pathMatcher(['**/**/**/**/**/**/**/**/x'])(`/${'a/'.repeat(200)}y`)).toBe(false);
  });
});
