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

export interface ResourceUse {
  /** CPU time of every process of the system under test during the step, in ms. */
  readonly cpuMs: number;
  readonly peakRssMiB: number;
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
  const rss: number[] = [start.rssMiB];
  const timer = setInterval(() => rss.push(sampleProcesses(pids).rssMiB), everyMs);
  return {
    stop() {
      clearInterval(timer);
      const end = sampleProcesses(pids);
      rss.push(end.rssMiB);
      return { cpuMs: ((end.cpuTicks - start.cpuTicks) * 1000) / TICKS_PER_SECOND, peakRssMiB: Math.round(Math.max(...rss)), rssMiB: rss.map(Math.round) };
    },
  };
}

/** CPU ms per execution, rounded to 0.1 (null without executions). */
export const perExecution = (cpuMs: number, executions: number): number | null => (executions > 0 ? Math.round((cpuMs / executions) * 10) / 10 : null);
