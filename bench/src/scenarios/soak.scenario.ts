import type { MultiBar } from 'cli-progress';
import { measureResources, perExecution } from '../process-sampler.js';
import type { ResultRow } from '../result-row.js';
import { summary } from '../stats.js';
import type { SystemUnderTest } from '../system-under-test.js';
import { countKinds, webhookOpenLoop } from '../webhook-load.js';
import { deploySyncBenchmark01 } from './overload.scenario.js';

/**
 * Soak: benchmark01 at a steady rate for `seconds` (short by default, `--soak-minutes 10` for
 * the ten minutes). Bounded memory shows as memory that stays flat: reported are the
 * summed RSS and PSS after the first fifth of the run and at the end, the growth between them,
 * and the peaks. Summed RSS counts Postgres's shared buffers once per backend that touched them
 * (it grows as backends touch more of them, up to backends × shared_buffers); PSS counts each
 * page once (see bench/results/2026-12-07-memory.md).
 */
export async function soak(sut: SystemUnderTest, options: { perMinute: number; seconds: number }, bars: MultiBar): Promise<ResultRow[]> {
  const url = await deploySyncBenchmark01(sut);
  const bar = bars.create(Math.round((options.seconds * options.perMinute) / 60), 0, { label: `soak ${sut.mode} ${options.perMinute}/min for ${options.seconds} s` });
  const everyMs = Math.max(1000, Math.round((options.seconds * 1000) / 100));
  const resources = measureResources(sut.pids, everyMs);
  const { outcomes } = await webhookOpenLoop({ url, perMinute: options.perMinute, warmupSeconds: 0, holdSeconds: options.seconds, bar, timeoutMs: 30_000 });
  const used = resources.stop();
  bar.stop();
  const ok = outcomes.filter((o) => o.kind === 'ok');
  const growth = (samples: readonly number[]) => {
    const settled = samples[Math.floor(samples.length / 5)] ?? samples[0]!;
    const last = samples[samples.length - 1]!;
    return { settled, last, pct: Math.round(((last - settled) / settled) * 1000) / 10 };
  };
  const rss = growth(used.rssMiB);
  const pss = growth(used.pssMiB);
  return [{
    scenario: 'soak', mode: sut.mode, offeredPerMin: options.perMinute, achievedPerMin: Math.round((ok.length * 60) / options.seconds),
    ...summary(ok.map((o) => o.ms)),
    seconds: options.seconds,
    outcomes: countKinds(outcomes),
    cpuMsPerExecution: perExecution(used.cpuMs, ok.length),
    rssSettledMiB: rss.settled, rssEndMiB: rss.last, rssGrowthPct: rss.pct, peakRssMiB: used.peakRssMiB,
    pssSettledMiB: pss.settled, pssEndMiB: pss.last, pssGrowthPct: pss.pct, peakPssMiB: used.peakPssMiB, peakNodeRssMiB: used.peakNodeRssMiB,
    measured: 'scheduled send → ?wait=true answer; RSS and PSS summed over every process of the system',
  }];
}
