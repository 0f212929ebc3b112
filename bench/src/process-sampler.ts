import { readdirSync, readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** The pids and their descendants (embedded Postgres, the services of the distributed script). */
function tree(roots: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const all = [...roots];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]!) ?? []));
  return [...new Set(all)];
}

/** CPU ticks (user + system) and resident memory of the system under test, all its processes. */
export function sampleProcesses(roots: readonly number[]): { cpuTicks: number; rssMiB: number } {
  let cpuTicks = 0;
  let rssKiB = 0;
  for (const pid of tree(roots)) {
    const stat = read(`/proc/${pid}/stat`);
    if (stat) {
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks += Number(fields[11]) + Number(fields[12]);
    }
    const rss = /VmRSS:\s+(\d+)/.exec(read(`/proc/${pid}/status`) ?? '');
    if (rss) rssKiB += Number(rss[1]);
  }
  return { cpuTicks, rssMiB: rssKiB / 1024 };
}

/** One process's memory from /proc/<pid>/smaps_rollup, in KiB (Linux 4.14+). */
export interface ProcessMemory {
  readonly pid: number;
  /** What the process is: `node`, `postgres: <backend or helper>`, `kafka`, … */
  readonly role: string;
  readonly rssKiB: number;
  /**
   * Proportional set size: each shared page counted once across the processes that map it, split
   * between them. Summed over the system it is the memory really used; summed RSS counts Postgres's
   * shared_buffers once per backend that touched them.
   */
  readonly pssKiB: number;
  readonly sharedKiB: number;
  readonly privateKiB: number;
  /** The PSS of shared memory mappings (Postgres's shared buffers): what is not the process's own. */
  readonly pssShmemKiB: number;
}

const field = (text: string, name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);

/** A process's role from its command line: Postgres names its backends and helpers there. */
function roleOf(pid: number): string {
  const cmdline = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean);
  const first = cmdline[0] ?? '';
  if (first.startsWith('postgres:')) return first.replace(/\s+/g, ' ').replace(/(postgres: [\w ]+?)(\s[\d.]+\(\d+\)|\s\[local\]).*/, '$1 backend').slice(0, 60);
  if (/postgres$/.test(first)) return 'postgres: postmaster';
  if (cmdline.some((a) => a.includes('kafka'))) return 'kafka';
  if (/node$/.test(first)) return `node ${cmdline.slice(1).find((a) => !a.startsWith('-')) ?? ''}`.trim();
  return first.split('/').pop() ?? String(pid);
}

/** RSS, PSS, shared and private memory of every process of the system under test. */
export function sampleMemory(roots: readonly number[]): ProcessMemory[] {
  const out: ProcessMemory[] = [];
  for (const pid of tree(roots)) {
    const rollup = read(`/proc/${pid}/smaps_rollup`);
    if (!rollup) continue;
    out.push({
      pid,
      role: roleOf(pid),
      rssKiB: field(rollup, 'Rss'),
      pssKiB: field(rollup, 'Pss'),
      sharedKiB: field(rollup, 'Shared_Clean') + field(rollup, 'Shared_Dirty'),
      privateKiB: field(rollup, 'Private_Clean') + field(rollup, 'Private_Dirty'),
      pssShmemKiB: field(rollup, 'Pss_Shmem'),
    });
  }
  return out;
}

/** Summed RSS and PSS of the system under test, and the largest Node process's RSS (what CHRONICLE_MAX_RSS_MB bounds), in MiB. */
function memoryTotals(roots: readonly number[]): { rssMiB: number; pssMiB: number; nodeRssMiB: number } {
  const processes = sampleMemory(roots);
  return {
    rssMiB: processes.reduce((sum, p) => sum + p.rssKiB, 0) / 1024,
    pssMiB: processes.reduce((sum, p) => sum + p.pssKiB, 0) / 1024,
    nodeRssMiB: Math.max(0, ...processes.filter((p) => p.role.startsWith('node')).map((p) => p.rssKiB)) / 1024,
  };
}

export interface ResourceUse {
  /** CPU time of every process of the system under test during the step, in ms. */
  readonly cpuMs: number;
  /** Summed RSS of all processes: Postgres's shared buffers once per backend (what the side-by-side harness reports). */
  readonly peakRssMiB: number;
  /** Summed PSS of all processes: shared pages once (the memory really held). */
  readonly peakPssMiB: number;
  /** The largest RSS one Node process reached (the gateway's or standalone's: what CHRONICLE_MAX_RSS_MB bounds). */
  readonly peakNodeRssMiB: number;
  /** PSS samples (one per `everyMs`), for a soak's growth. */
  readonly pssMiB: readonly number[];
  /** RSS samples (one per `everyMs`), for a soak's growth. */
  readonly rssMiB: readonly number[];
}

/**
 * Measures what a step costs the system under test (not the load generator): CPU from /proc
 * before and after, RSS sampled on a timer. CPU per execution = cpuMs / executions; the
 * machine's other load does not count (it is not in these processes).
 */
export function measureResources(pids: readonly number[], everyMs = 1000): { stop(): ResourceUse } {
  const start = sampleProcesses(pids);
  const rss: number[] = [];
  const pss: number[] = [];
  const nodeRss: number[] = [];
  const sample = () => {
    const m = memoryTotals(pids);
    rss.push(m.rssMiB);
    pss.push(m.pssMiB);
    nodeRss.push(m.nodeRssMiB);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const end = sampleProcesses(pids);
      sample();
      return {
        cpuMs: ((end.cpuTicks - start.cpuTicks) * 1000) / TICKS_PER_SECOND,
        peakRssMiB: Math.round(Math.max(...rss)), rssMiB: rss.map(Math.round),
        peakPssMiB: Math.round(Math.max(...pss)), pssMiB: pss.map(Math.round), peakNodeRssMiB: Math.round(Math.max(...nodeRss)),
      };
    },
  };
}

/** CPU ms per execution, rounded to 0.1 (null without executions). */
export const perExecution = (cpuMs: number, executions: number): number | null => (executions > 0 ? Math.round((cpuMs / executions) * 10) / 10 : null);
