import fc from 'fast-check';
import { escapeLiteral } from 'pg';
import { describe, expect, it } from 'vitest';
import { quoteLiteral } from './quote-literal.js';

describe('quoteLiteral', () => {
  it("writes a literal as pg's escapeLiteral does: quotes doubled, a backslash doubled and the literal made E''", () => {
    expect(quoteLiteral('')).toBe("''");
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(quoteLiteral('{"m":"x\\"y","n":"\'"}')).toBe(` E'{"m":"x\\\\"y","n":"''"}'`);
  });

  it('matches escapeLiteral on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("'", '\\', '"', 'a', 'é', '\n', '$', '😀', '\u0000') }), (text) => quoteLiteral(text) === escapeLiteral(text)),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => quoteLiteral(text) === escapeLiteral(text)), { numRuns: 300 });
  });
});
