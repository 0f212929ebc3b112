import Table from 'cli-table3';
import pc from 'picocolors';

/** Where a command writes: human text (tables, colours when a terminal shows them) or JSON for scripts. */
export class Output {
  constructor(readonly json: boolean, private readonly out: NodeJS.WritableStream = process.stdout) {}

  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  data(value: unknown): void {
    this.out.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One JSON value per line (live streams under --json). */
  jsonLine(value: unknown): void {
    this.out.write(`${JSON.stringify(value)}\n`);
  }

  table(head: readonly string[], rows: readonly (readonly unknown[])[]): void {
    const table = new Table({ head: head.map((h) => pc.bold(h)), style: { head: [], border: [] } });
    for (const row of rows) table.push(row.map((cell) => (cell === undefined || cell === null ? '' : String(cell))));
    this.line(table.toString());
  }

  /** `label: value` lines, aligned. */
  fields(entries: readonly (readonly [string, unknown])[]): void {
    const width = Math.max(...entries.map(([label]) => label.length));
    for (const [label, value] of entries) {
      if (value === undefined || value === null || value === '') continue;
      this.line(`${pc.dim(`${label.padEnd(width)} `)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
    }
  }
}

const STATE_COLOURS: Record<string, (text: string) => string> = {
  SUCCESS: pc.green,
  WARNING: pc.yellow,
  FAILED: pc.red,
  KILLED: pc.red,
  KILLING: pc.red,
  CANCELLED: pc.gray,
  RUNNING: pc.cyan,
  RESTARTED: pc.magenta,
  RETRYING: pc.magenta,
  RETRIED: pc.magenta,
  PAUSED: pc.yellow,
  CREATED: pc.blue,
  QUEUED: pc.blue,
  DONE: pc.green,
  LIVE: pc.green,
  CATCHING_UP: pc.cyan,
  STALLED: pc.red,
  PENDING: pc.blue,
  SWAPPING: pc.magenta,
};

export const state = (value: string | undefined | null): string => (value ? (STATE_COLOURS[value] ?? ((s: string) => s))(value) : '');

/** `1.2s`, `3m 04s`: how long something ran. */
export function duration(start?: string | null, end?: string | null): string {
  if (!start) return '';
  const ms = (end ? Date.parse(end) : Date.now()) - Date.parse(start);
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m ${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** JSON, cut to `max` characters for one-line summaries. */
export function brief(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const dim = pc.dim;
export const bold = pc.bold;
export const red = pc.red;
export const green = pc.green;
