/**
 * Samples the memory of a running system every few seconds until killed (SIGTERM/SIGINT) or
 * `seconds` passed, and prints a summary (not a test): per sample the summed RSS (what the
 * side-by-side harness reports), the summed PSS (shared pages counted once: the memory really
 * held), the Node processes' RSS and V8 heap (from the gateway's /metrics when a URL is given),
 * and the Postgres backends (how many, their RSS and PSS). Used by memory-soak.sh.
 *   node --import tsx --conditions=@chronicle/source bench/tools/memory-sampler.ts <out.jsonl> <everySeconds> <seconds> <metricsUrl|-> <pid>...
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { sampleMemory, type ProcessMemory } from '../src/process-sampler.js';

const [out, everyArg, secondsArg, metricsUrl, ...pidArgs] = process.argv.slice(2);
if (!out || !everyArg || !secondsArg || !metricsUrl || pidArgs.length === 0) {
  console.error('usage: memory-sampler.ts <out.jsonl> <everySeconds> <seconds> <metricsUrl|-> <pid>...');
  process.exit(2);
}
const pids = pidArgs.map(Number);
const everyMs = Number(everyArg) * 1000;
const until = Date.now() + Number(secondsArg) * 1000;
const MiB = (kib: number) => Math.round(kib / 102.4) / 10;
const sum = (ps: readonly ProcessMemory[], key: 'rssKiB' | 'pssKiB' | 'privateKiB' | 'pssShmemKiB') => ps.reduce((s, p) => s + p[key], 0);

/** V8 heap used and total and external memory of the Node process behind `url` (prom-client's default metrics). */
async function heapOf(url: string): Promise<Record<string, number> | undefined> {
  if (url === '-') return undefined;
  try {
    const text = await (await fetch(url)).text();
    const metric = (name: string) => Number(new RegExp(`^chronicle_${name}(?:\\{[^}]*\\})? ([\\d.e+]+)`, 'm').exec(text)?.[1] ?? NaN);
    return { heapUsedMiB: MiB(metric('nodejs_heap_size_used_bytes') / 1024), heapTotalMiB: MiB(metric('nodejs_heap_size_total_bytes') / 1024), externalMiB: MiB(metric('nodejs_external_memory_bytes') / 1024) };
  } catch {
    return undefined;
  }
}

const started = Date.now();
const samples: Array<Record<string, unknown>> = [];
writeFileSync(out, '');
async function sampleOnce(): Promise<void> {
  const procs = sampleMemory(pids);
  const backends = procs.filter((p) => p.role.startsWith('postgres:') && p.role.endsWith('backend'));
  const postgres = procs.filter((p) => p.role.startsWith('postgres'));
  const node = procs.filter((p) => p.role.startsWith('node'));
  const kafka = procs.filter((p) => p.role === 'kafka');
  const sample = {
    t: Math.round((Date.now() - started) / 1000),
    rssMiB: MiB(sum(procs, 'rssKiB')), pssMiB: MiB(sum(procs, 'pssKiB')),
    nodeRssMiB: MiB(sum(node, 'rssKiB')), nodePssMiB: MiB(sum(node, 'pssKiB')),
    postgresRssMiB: MiB(sum(postgres, 'rssKiB')), postgresPssMiB: MiB(sum(postgres, 'pssKiB')), postgresPrivateMiB: MiB(sum(postgres, 'privateKiB')), postgresShmemMiB: MiB(sum(postgres, 'pssShmemKiB')),
    backends: backends.length, backendRssMiB: MiB(sum(backends, 'rssKiB')), backendPssMiB: MiB(sum(backends, 'pssKiB')),
    ...(kafka.length ? { kafkaRssMiB: MiB(sum(kafka, 'rssKiB')), kafkaPssMiB: MiB(sum(kafka, 'pssKiB')) } : {}),
    ...(await heapOf(metricsUrl!)),
    processes: procs.map((p) => ({ pid: p.pid, role: p.role, rssMiB: MiB(p.rssKiB), pssMiB: MiB(p.pssKiB) })),
  };
  samples.push(sample);
  appendFileSync(out, `${JSON.stringify(sample)}\n`);
}

function summarise(): void {
  if (samples.length === 0) return;
  const keys = ['rssMiB', 'pssMiB', 'nodeRssMiB', 'heapUsedMiB', 'postgresRssMiB', 'postgresPssMiB', 'postgresShmemMiB', 'postgresPrivateMiB', 'backends', 'backendRssMiB', 'backendPssMiB', 'kafkaRssMiB'] as const;
  // Settled: after the first fifth (start-up and warm-up fill caches and pools once).
  const settled = samples[Math.floor(samples.length / 5)]!;
  const last = samples[samples.length - 1]!;
  const rows = keys.filter((k) => typeof last[k] === 'number').map((k) => {
    const values = samples.map((s) => s[k] as number).filter(Number.isFinite);
    const from = settled[k] as number;
    const to = last[k] as number;
    return { metric: k, first: samples[0]![k], settled: from, end: to, peak: Math.max(...values), growthPct: from ? Math.round(((to - from) / from) * 1000) / 10 : null };
  });
  console.table(rows);
  const biggest = [...(last.processes as Array<{ role: string; rssMiB: number; pssMiB: number }>)].sort((a, b) => b.pssMiB - a.pssMiB).slice(0, 8);
  console.table(biggest);
}

let timer: ReturnType<typeof setTimeout> | undefined;
const stop = () => {
  if (timer) clearTimeout(timer);
  summarise();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
const loop = async () => {
  await sampleOnce();
  if (Date.now() + everyMs > until) return stop();
  timer = setTimeout(() => void loop(), everyMs);
};
await loop();
