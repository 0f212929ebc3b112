import { copyLine, type CopyColumn } from './copy-text.js';

/**
 * A table's COPY text written into UTF-8 bytes as it is made, line by line, instead of one string
 * for the whole table (a rope of every line, flattened and encoded once more at the end).
 * Measured on a 5,000-event batch of benchmark01 (`bench/tools/rebuild-encode-micro.ts`): the
 * encoding's garbage collections fell by about a tenth and its CPU by ≈ 1 µs per event. A write
 * per field instead of per line was tried too: it halved the collections but `Buffer#write`'s own
 * checks, 18 calls a row, cost more than they saved. The bytes live in one buffer of their own
 * (never a slice of Node's shared pool), so `bytes()` may be transferred to another thread.
 */
export class CopyBytes {
  private buffer: Buffer;
  private used = 0;

  constructor(capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  /** Bytes written so far: where the last line ends, or a mark to `truncate` back to. */
  get length(): number {
    return this.used;
  }

  /** One row as a line (with its newline); a row it cannot write (`NotCopyableError`) writes nothing. */
  line(columns: readonly CopyColumn[], row: Readonly<Record<string, unknown>>): void {
    const text = copyLine(columns, row);
    // A UTF-16 code unit is at most three bytes of UTF-8: room is checked once, a character is never cut.
    this.reserve(text.length * 3);
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  /** Drops what was written after `mark` (an execution whose task runs turned out not COPY-able). */
  truncate(mark: number): void {
    this.used = Math.min(mark, this.used);
  }

  /** The bytes written, a view on this writer's own buffer (write nothing after taking it). */
  bytes(): Uint8Array {
    return new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.used);
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.used + bytes));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }
}
