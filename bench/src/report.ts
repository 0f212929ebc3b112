import Table from 'cli-table3';
import type { ResultRow } from './result-row.js';

const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function printTable(rows: readonly ResultRow[], machine: Record<string, unknown>): void {
  // The last column wraps instead of being cut: every figure of a row is read from the console too.
  const table = new Table({ head: ['scenario', 'mode', 'offered/min', 'achieved/min', 'p50 ms', 'p95 ms', 'p99 ms', 'other'], colWidths: [null, null, null, null, null, null, null, 72], wordWrap: true, wrapOnWordBoundary: false });
  for (const r of rows) {
    const { scenario, mode, offeredPerMin, achievedPerMin, p50Ms, p95Ms, p99Ms, ...rest } = r;
    const other = Object.entries(rest).filter(([k]) => k !== 'measured' && k !== 'machine' && k !== 'at').map(([k, v]) => `${k}=${cell(v)}`).join(' ');
    table.push([scenario, mode, cell(offeredPerMin), cell(achievedPerMin), cell(p50Ms), cell(p95Ms), cell(p99Ms), other]);
  }
  console.log(`\nmachine: ${JSON.stringify({ cores: machine.cores, memoryGiB: machine.memoryGiB, node: machine.node, cpu: machine.cpuModel })}`);
  console.log(table.toString());
}
