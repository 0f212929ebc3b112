import { describe, expect, it } from 'vitest';
import { CopyBytes } from './copy-bytes.js';
import { copyLine, NotCopyableError, type CopyColumn } from './copy-text.js';

const columns: CopyColumn[] = [
  { key: 'id', column: 'id', kind: 'scalar' },
  { key: 'doc', column: 'doc', kind: 'json' },
];
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('COPY text written into bytes', () => {
  it('writes the UTF-8 of the lines copyLine makes, past its first capacity, multi-byte characters whole', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ id: `é-${i}\t日本`, doc: { note: 'back\\slash 😀'.repeat(i % 7), i } }));
    const bytes = new CopyBytes(16);
    for (const row of rows) bytes.line(columns, row);
    expect(text(bytes.bytes())).toBe(rows.map((row) => copyLine(columns, row)).join(''));
    expect(bytes.length).toBe(Buffer.byteLength(rows.map((row) => copyLine(columns, row)).join('')));
  });

  it('writes nothing for a row it cannot write, and drops what was written after a mark', () => {
    const bytes = new CopyBytes(8);
    bytes.line(columns, { id: 'a', doc: null });
    const mark = bytes.length;
    expect(() => bytes.line(columns, { id: { structured: true } })).toThrow(NotCopyableError);
    expect(bytes.length).toBe(mark);
    bytes.line(columns, { id: 'b', doc: [1] });
    bytes.truncate(mark);
    bytes.line(columns, { id: 'c', doc: 'x' });
    expect(text(bytes.bytes())).toBe('a\t\\N\nc\t"x"\n');
  });

  it('keeps its bytes in a buffer of its own, which may be transferred to another thread', () => {
    const bytes = new CopyBytes();
    bytes.line(columns, { id: 'a' });
    const view = bytes.bytes();
    expect(view.byteOffset).toBe(0);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(view, [view.buffer as ArrayBuffer]);
    expect(view.byteLength).toBe(0); // detached: moved, not copied
    port1.close();
    port2.close();
  });
});
