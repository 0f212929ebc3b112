/**
 * `npm run bench [-- --quick] [--modes standalone,distributed] [--scenarios benchmark01,...] [--hold 30] [--warmup 10] [--steps 250,1000]
 *   [--soak-minutes 10] [--soak-rate 3000] [--overload-rate 12000] [--kafka-brokers host:port]`
 * `--kafka-brokers`: distributed mode uses that running broker (topics under a prefix of its own) instead of starting one.
 * The soak runs at the knee benchmark01 found (the highest step still achieved at 90 %), for one
 * minute by default (`--soak-minutes 10`: the ten); the overload step offers twice the knee.
 * Every load step records the CPU per execution and the peak RSS and PSS of all the system's processes
 * (summed RSS counts Postgres's shared buffers once per backend; PSS once), the overload and soak the
 * largest Node process's RSS too (what CHRONICLE_MAX_RSS_MB bounds).
 * Starts Chronicle itself with the project's scripts, runs the scenarios with progress bars,
 * prints a table and writes tmp/bench/latest.json plus a dated copy (git-ignored, so a run leaves the
 * tree clean); `--save` writes them to bench/results/ instead, to commit a run deliberately.
 * Not part of `npm test`.
 */
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MultiBar, Presets } from 'cli-progress';
import { createDatabase, freePort, startKafka, startPostgres } from '@chronicle/dev-infra';
import { printTable } from './src/report.js';
import type { Mode, ResultRow } from './src/result-row.js';
import { benchmark01 } from './src/scenarios/benchmark01.scenario.js';
import { kafkaTriggerLatency } from './src/scenarios/kafka-trigger.scenario.js';
import { appendLimits, kafkaRoundTrip } from './src/scenarios/limits.scenario.js';
import { rebuild } from './src/scenarios/rebuild.scenario.js';
import { fanout1000Flow, sequential40Flow, singleExecution } from './src/scenarios/single-execution.scenario.js';
import { withRatios } from './src/ratios.js';
import { overload } from './src/scenarios/overload.scenario.js';
import { soak } from './src/scenarios/soak.scenario.js';
import { startSystem } from './src/system-under-test.js';

const SCENARIOS = ['limits', 'rebuild', 'benchmark01', 'subscription', 'sequential40', 'fanout1000', 'soak', 'overload'];
const USAGE = `npm run bench [-- options]
  --quick                     shorter steps and holds (a smoke run)
  --modes LIST                standalone,distributed (default both)
  --scenarios LIST            any of ${SCENARIOS.join(',')} (default all)
  --steps LIST                benchmark01's offered rates per minute (default 250,...,9000)
  --hold SECONDS --warmup SECONDS
  --soak-minutes N --soak-rate PER_MIN --overload-rate PER_MIN
  --kafka-brokers HOST:PORT   distributed mode uses this running broker instead of starting one
  --save                      write the results to bench/results/ (to commit a run)`;

const { values } = parseBenchArgs();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

/** The options, or the usage and exit 2 on an unknown or malformed one (never a stack trace). */
function parseBenchArgs() {
  try {
    return parseArgs({ options: {
  help: { type: 'boolean', short: 'h', default: false },
  quick: { type: 'boolean', default: false },
  modes: { type: 'string', default: 'standalone,distributed' },
  scenarios: { type: 'string', default: SCENARIOS.join(',') },
  'soak-minutes': { type: 'string' },
  'soak-rate': { type: 'string' },
  'overload-rate': { type: 'string' },
  hold: { type: 'string' },
  warmup: { type: 'string' },
  steps: { type: 'string' },
  save: { type: 'boolean', default: false },
  'kafka-brokers': { type: 'string' },
} });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}
const root = resolve(import.meta.dirname, '..', '..');
const quick = values.quick!;
const plan = {
  steps: values.steps ? values.steps.split(',').map(Number) : quick ? [250, 1000, 3000] : [250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 9000],
  warmupSeconds: Number(values.warmup ?? (quick ? 3 : 10)),
  holdSeconds: Number(values.hold ?? (quick ? 10 : 30)),
  subscriptionStep: 1000,
  singleRuns: quick ? 3 : 10,
  rebuildEvents: quick ? 100_000 : 500_000,
  limitSeconds: quick ? 3 : 10,
  rttMessages: quick ? 200 : 1000,
  soakSeconds: Math.round(Number(values['soak-minutes'] ?? (quick ? 0.5 : 1)) * 60),
};
/** The knee of a mode: the highest benchmark01 step achieved at 90 % of its offer (a default when it did not run). */
const kneeOf = (mode: Mode) =>
  Math.max(0, ...rows.filter((r) => r.scenario === 'benchmark01' && r.mode === mode && (r.achievedPerMin ?? 0) >= 0.9 * (r.offeredPerMin ?? Infinity)).map((r) => r.offeredPerMin!)) || 3000;
const wanted = new Set(values.scenarios!.split(',').filter(Boolean));
const modes = values.modes!.split(',').filter(Boolean) as Mode[];
const unknown = [...[...wanted].filter((s) => !SCENARIOS.includes(s)), ...modes.filter((m) => m !== 'standalone' && m !== 'distributed')];
const numeric = { 'soak-minutes': values['soak-minutes'], 'soak-rate': values['soak-rate'], 'overload-rate': values['overload-rate'], hold: values.hold, warmup: values.warmup, steps: values.steps };
const notNumbers = Object.entries(numeric).filter(([, v]) => v !== undefined && v.split(',').some((n) => !(Number(n) > 0))).map(([k, v]) => `--${k} ${v}`);
if (notNumbers.length > 0) {
  console.error(`not a positive number: ${notNumbers.join(', ')}\n\n${USAGE}`);
  process.exit(2);
}
if (unknown.length > 0) {
  console.error(`unknown scenario or mode: ${unknown.join(', ')}\n\n${USAGE}`);
  process.exit(2);
}
const bars = new MultiBar({ format: ' {bar} {percentage}% | {value}/{total} | {label}', hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
const rows: ResultRow[] = [];
const machine = { cores: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform, quick, plan, seed: 1 };
const startedAt = new Date();

if (wanted.has('limits') || wanted.has('rebuild')) {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-bench-infra-'));
  const pg = await startPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), fast: true });
  try {
    if (wanted.has('limits')) {
      await createDatabase(pg.adminUrl, 'limits');
      const bar = bars.create(1, 0, { label: 'limits: event store append' });
      rows.push(...(await appendLimits(pg.urlFor('limits'), plan.limitSeconds)));
      bar.update(1);
      const kafka = await startKafka({ dataDir: join(dir, 'kafka'), port: await freePort() });
      try {
        const kbar = bars.create(1, 0, { label: 'limits: Kafka round trip' });
        rows.push(...(await kafkaRoundTrip(kafka.brokers, plan.rttMessages)));
        kbar.update(1);
      } finally {
        await kafka.stop();
      }
    }
    if (wanted.has('rebuild')) {
      await createDatabase(pg.adminUrl, 'rebuild');
      const bar = bars.create(plan.rebuildEvents, 0, { label: `rebuild: write then replay ${plan.rebuildEvents} events` });
      rows.push(...(await rebuild(pg.urlFor('rebuild'), plan.rebuildEvents, bar)));
    }
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const mode of modes) {
  const sut = await startSystem(mode, root, { kafkaBrokers: values['kafka-brokers'] });
  try {
    if (wanted.has('benchmark01') || wanted.has('subscription')) rows.push(...(await benchmark01(sut, plan, bars)));
    if (wanted.has('benchmark01')) rows.push(...(await kafkaTriggerLatency(sut, plan.singleRuns * 3)));
    if (wanted.has('sequential40')) rows.push(...(await singleExecution(sut, 'sequential40', 'sequential40', sequential40Flow(), plan.singleRuns, 40)));
    if (wanted.has('fanout1000')) rows.push(...(await singleExecution(sut, 'fanout1000', 'fanout1000', fanout1000Flow(), Math.max(1, Math.round(plan.singleRuns / 3)), 1000)));
    if (wanted.has('soak')) rows.push(...(await soak(sut, { perMinute: Number(values['soak-rate'] ?? kneeOf(mode)), seconds: plan.soakSeconds }, bars)));
    if (wanted.has('overload')) rows.push(...(await overload(sut, { perMinute: Number(values['overload-rate'] ?? 2 * kneeOf(mode)), warmupSeconds: plan.warmupSeconds, holdSeconds: plan.holdSeconds }, bars)));
  } finally {
    await sut.stop();
  }
}
bars.stop();

const results = withRatios(rows);
printTable(results, machine);
const dir = values.save ? join(root, 'bench', 'results') : join(root, 'tmp', 'bench');
mkdirSync(dir, { recursive: true });
const body = JSON.stringify(results.map((r) => ({ ...r, machine, at: startedAt.toISOString() })), null, 2);
writeFileSync(join(dir, 'latest.json'), body);
writeFileSync(join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`), body);
console.log(`results: ${relative(root, dir)}/latest.json (+ dated copy)${values.save ? '' : '; --save writes them to bench/results/ to commit'}`);
