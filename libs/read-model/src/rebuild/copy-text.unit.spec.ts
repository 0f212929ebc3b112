import { describe, expect, it } from 'vitest';
import { copyLine, copyStatement, escapeCopyText, NotCopyableError, type CopyColumn } from './copy-text.js';

const columns: CopyColumn[] = [
  { key: 'id', column: 'id', kind: 'scalar' },
  { key: 'n', column: 'n', kind: 'scalar' },
  { key: 'doc', column: 'doc', kind: 'json' },
];

describe('COPY text rows', () => {
  it('escapes what the text format treats specially: backslash, tab, line breaks', () => {
    expect(escapeCopyText('plain')).toBe('plain');
    expect(escapeCopyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('writes a JSON null or an absent key as NULL, like jsonb_to_recordset', () => {
    expect(copyLine(columns, { id: 'x', n: null })).toBe('x\t\\N\t\\N\n');
    expect(copyLine(columns, { id: 'x', n: 1, doc: null })).toBe('x\t1\t\\N\n');
  });

  it("writes a jsonb column as the value's JSON with its backslashes doubled", () => {
    const doc = { text: 'line\nbreak "quoted" back\\slash\ttab', list: [1, true, null] };
    const line = copyLine(columns, { id: 'x', n: 2.5, doc });
    expect(line).toBe(`x\t2.5\t${JSON.stringify(doc).replace(/\\/g, '\\\\')}\n`);
    // One line, three fields: nothing inside the JSON breaks the row.
    expect(line.slice(0, -1).split('\n')).toHaveLength(1);
    expect(line.slice(0, -1).split('\t')).toHaveLength(3);
  });

  it('writes numbers and booleans in a scalar column as their text, and refuses a structured value', () => {
    expect(copyLine(columns, { id: true, n: 10n, doc: 's' })).toBe('true\t10\t"s"\n');
    expect(() => copyLine(columns, { id: { a: 1 } })).toThrow(NotCopyableError);
    expect(() => copyLine(columns, { id: { a: 1 } })).toThrow(/column id/);
  });

  it('names the columns in the COPY statement', () => {
    expect(copyStatement('executions', columns)).toBe('COPY executions ("id", "n", "doc") FROM STDIN');
  });
});
