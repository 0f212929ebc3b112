import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runCase, type CaseResult } from './case-runner.js';
import { corpusMissingMessage, loadCorpus, repoRoot, selectCases } from './corpus.js';
import { judge, type Verdict } from './documented-differences.js';
import { FlowDeployer } from './flow-deployer.js';
import { formatFailure, summary, verdictLine, writeResults } from './report.js';
import { ensureInfrastructure, selectedModes, startTarget, type RunningTarget } from './targets.js';

/**
 * Kestra's own test flows, each run in every mode and checked against every assertion Kestra's
 * tests make. A case passes, or is a documented difference (documented-differences.ts), or the
 * suite fails. Env: CORPUS_CASE (names or globs), CORPUS_MODES, CHRONICLE_URL + CHRONICLE_TOKEN
 * (an already running Chronicle), CORPUS_TIMEOUT_MS, CORPUS_CONCURRENCY, CORPUS_RESULTS_DIR.
 */
const corpus = loadCorpus();
if (!corpus.found) console.log(corpusMissingMessage(corpus.path));
const cases = selectCases(corpus.cases, process.env.CORPUS_CASE);
const modes = selectedModes();
const options = { timeoutMs: Number(process.env.CORPUS_TIMEOUT_MS ?? 60_000), pollMs: 100, logGraceMs: 30_000 };
const resultsDir = process.env.CORPUS_RESULTS_DIR ?? resolve(repoRoot, 'tmp', 'kestra-corpus');

describe.skipIf(!corpus.found)('Kestra compatibility corpus', () => {
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
        const ordered = cases.flatMap((c) => done.get(c.name) ?? []);
        console.log(`\nKestra corpus, ${mode} mode (${corpus.path}):\n${summary(mode, ordered.map((r) => r.verdict), cases.length)}`);
        if (ordered.length) console.log(`full results: ${writeResults(resultsDir, mode, ordered)}`);
        await target?.close();
      });

      for (const c of cases) {
        it.concurrent(c.name, async () => {
          const result = await runCase(target!.api, c, corpus.cases, deployer, options);
          const verdict = judge(result, mode);
          done.set(c.name, { result, verdict });
          if (verdict.kind === 'FAIL') {
            throw new Error(`${verdictLine(verdict)}\n${verdict.failures.map((f) => `  - ${formatFailure(f)}`).join('\n')}\n  executions: ${result.executionIds.join(', ')}`);
          }
        });
      }
    });
  }
});
