import { copyField, type CopyColumn } from './copy-text.js';

const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * COPY text written straight into UTF-8 bytes, field by field: the same fields `copyLine` joins
 * (`copyField`), without the strings that join them (a field, its tab, the line, the table's
 * text as one rope) and without encoding the whole table once more at the end. In a rebuild's
 * fold worker those strings were a third of what the encoder allocated (profile in
 * bench/results/2026-12-07-rebuild-late.md). The bytes live in one buffer of their own (never a
 * slice of Node's shared pool), so `bytes()` may be transferred to another thread.
 */
export class CopyBytes {
  private buffer: Buffer;
  private used = 0;

  constructor(capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  /** Bytes written so far: a line's end after `line`, or a mark to `truncate` back to. */
  get length(): number {
    return this.used;
  }

  /** One row as a line (with its newline); throws `NotCopyableError` with nothing written for a row it cannot write. */
  line(columns: readonly CopyColumn[], row: Readonly<Record<string, unknown>>): void {
    const start = this.used;
    try {
      for (let i = 0; i < columns.length; i++) {
        if (i > 0) this.byte(TAB);
        this.text(copyField(columns[i]!, row));
      }
    } catch (error) {
      this.used = start;
      throw error;
    }
    this.byte(NEWLINE);
  }

  /** Drops what was written after `mark` (a row of several lines that turned out not COPY-able). */
  truncate(mark: number): void {
    this.used = Math.min(mark, this.used);
  }

  /** The bytes written, a view on this writer's own buffer (write nothing after taking it). */
  bytes(): Uint8Array {
    return new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.used);
  }

  private text(text: string): void {
    // A UTF-16 code unit is at most three bytes of UTF-8: room checked once, never a cut character.
    this.reserve(text.length * 3);
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  private byte(value: number): void {
    this.reserve(1);
    this.buffer[this.used++] = value;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.used + bytes));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }
}
