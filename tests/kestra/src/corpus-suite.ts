import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CaseResult } from './case-runner.js';
import type { CorpusMode, Verdict } from './documented-differences.js';
import { FlowDeployer } from './flow-deployer.js';
import { formatFailure, summary, verdictLine, writeResults } from './report.js';
import { ensureInfrastructure, selectedModes, startTarget, type RunningTarget } from './targets.js';

/** One suite of Kestra flows: which cases, how one runs and is judged, where the results go. */
export interface CorpusSuite<C extends { readonly name: string }> {
  readonly title: string;
  /** False when the flows are not on this machine: the suite is skipped (the spec says why). */
  readonly found: boolean;
  readonly cases: readonly C[];
  readonly resultsDir: string;
  /** The first line of the summary printed after each mode. */
  heading(mode: CorpusMode): string;
  run(target: RunningTarget, deployer: FlowDeployer, c: C): Promise<CaseResult>;
  judge(result: CaseResult, mode: CorpusMode): Verdict;
}

/**
 * The runner loop both Kestra suites share: infrastructure once, then per selected mode a
 * Chronicle target, every case concurrently, a verdict per case (FAIL throws with its failures and
 * executions) and, after the mode, a summary and the full results written to `resultsDir`.
 */
export function describeCorpusSuite<C extends { readonly name: string }>(suite: CorpusSuite<C>): void {
  const modes = selectedModes();
  describe.skipIf(!suite.found)(suite.title, () => {
    let infrastructure: { stop(): Promise<void> } | undefined;
    beforeAll(async () => {
      infrastructure = await ensureInfrastructure(modes);
    });
    afterAll(async () => {
      await infrastructure?.stop();
    });

    for (const mode of modes) {
      describe(mode, () => {
        let target: RunningTarget | undefined;
        let deployer: FlowDeployer;
        const done = new Map<string, { result: CaseResult; verdict: Verdict }>();

        beforeAll(async () => {
          target = await startTarget(mode);
          deployer = new FlowDeployer(target.api);
        });
        afterAll(async () => {
          const ordered = suite.cases.flatMap((c) => done.get(c.name) ?? []);
          console.log(`\n${suite.heading(mode)}:\n${summary(mode, ordered.map((r) => r.verdict), suite.cases.length)}`);
          if (ordered.length) console.log(`full results: ${writeResults(suite.resultsDir, mode, ordered)}`);
          await target?.close();
        });

        for (const c of suite.cases) {
          it.concurrent(c.name, async () => {
            const result = await suite.run(target!, deployer, c);
            const verdict = suite.judge(result, mode);
            done.set(c.name, { result, verdict });
            if (verdict.kind === 'FAIL') {
              throw new Error(`${verdictLine(verdict)}\n${verdict.failures.map((f) => `  - ${formatFailure(f)}`).join('\n')}\n  executions: ${result.executionIds.join(', ')}`);
            }
          });
        }
      });
    }
  });
}
