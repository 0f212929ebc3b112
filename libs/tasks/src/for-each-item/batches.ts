/**
 * How ForEachItem cuts its items file into batches (Kestra's StorageService.split with
 * ForEachItem.Batch): items are the lines of the file (the `separator`, "\n" by default, ends
 * each one; a last empty line is no item). `rows` items per batch (1 by default), or batches of
 * at most `bytes` (a line larger than that is a batch of its own), or `partitions` batches
 * filled round-robin. Empty batches are dropped.
 */
export interface BatchOptions {
  readonly rows?: number;
  readonly bytes?: number;
  readonly partitions?: number;
  readonly separator?: string;
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** `10MB` → bytes (Kestra's DataSize units are binary). */
export const parseSize = (text: string): number | undefined => {
  const m = /^\s*(\d+)\s*(B|KB|MB|GB)?\s*$/i.exec(text);
  return m === null ? undefined : Number(m[1]) * UNITS[(m[2] ?? 'B').toUpperCase()]!;
};

export const splitItems = (content: string, options: BatchOptions): string[] => {
  const separator = options.separator ?? '\n';
  const lines = content.split(separator);
  if (lines.at(-1) === '') lines.pop();
  const batches: string[][] = [];
  if (options.partitions !== undefined) {
    for (let i = 0; i < options.partitions; i++) batches.push([]);
    lines.forEach((line, i) => batches[i % options.partitions!]!.push(line));
  } else if (options.bytes !== undefined) {
    let current: string[] = [];
    let size = 0;
    for (const line of lines) {
      const length = Buffer.byteLength(line + separator);
      if (current.length > 0 && size + length > options.bytes) {
        batches.push(current);
        current = [];
        size = 0;
      }
      current.push(line);
      size += length;
    }
    if (current.length > 0) batches.push(current);
  } else {
    const rows = options.rows ?? 1;
    for (let i = 0; i < lines.length; i += rows) batches.push(lines.slice(i, i + rows));
  }
  return batches.filter((b) => b.length > 0).map((b) => b.map((line) => line + separator).join(''));
};
