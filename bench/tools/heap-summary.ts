/**
 * What a V8 heap snapshot holds, by kind (not a test): the self size and count of its nodes per
 * constructor (objects, closures) or per type (strings, code, arrays...), largest first. A snapshot
 * is taken after a full GC, so this is the live heap; compare two of a soak (memory-soak.sh
 * HEAP_SNAPSHOTS=1) to see what grew. Large snapshots need a large heap for this reader:
 *   node --max-old-space-size=4096 --import tsx bench/tools/heap-summary.ts <file.heapsnapshot> [top=30]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: heap-summary.ts <file.heapsnapshot> [top=30]');
  process.exit(2);
}
const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const fields = snap.snapshot.meta.node_fields;
const types = snap.snapshot.meta.node_types[0];
const width = fields.length;
const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);
const byKind = new Map<string, { count: number; bytes: number }>();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += width) {
  const type = types[snap.nodes[i + typeAt]!]!;
  const kind = type === 'object' || type === 'closure' ? `${type}:${snap.strings[snap.nodes[i + nameAt]!]}` : STRING_TYPES.has(type) ? 'strings' : type;
  const bytes = snap.nodes[i + sizeAt]!;
  total += bytes;
  const entry = byKind.get(kind) ?? { count: 0, bytes: 0 };
  entry.count++;
  entry.bytes += bytes;
  byKind.set(kind, entry);
}
const MiB = (b: number) => (b / 2 ** 20).toFixed(2);
console.log(`live heap ${MiB(total)} MiB in ${snap.nodes.length / width} nodes`);
for (const [kind, { count, bytes }] of [...byKind].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(topArg ?? 30))) {
  console.log(`${MiB(bytes).padStart(9)} MiB ${String(count).padStart(9)}  ${kind.slice(0, 100)}`);
}
