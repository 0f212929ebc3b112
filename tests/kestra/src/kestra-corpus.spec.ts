import { resolve } from 'node:path';
import { runCase } from './case-runner.js';
import { corpusMissingMessage, loadCorpus, repoRoot, selectCases } from './corpus.js';
import { describeCorpusSuite } from './corpus-suite.js';
import { judge } from './documented-differences.js';

/**
 * Kestra's own test flows, each run in every mode and checked against every assertion Kestra's
 * tests make. A case passes, or is a documented difference (documented-differences.ts), or the
 * suite fails. Env: CORPUS_CASE (names or globs), CORPUS_MODES, CHRONICLE_URL + CHRONICLE_TOKEN
 * (an already running Chronicle), CORPUS_TIMEOUT_MS, CORPUS_CONCURRENCY, CORPUS_RESULTS_DIR.
 */
const corpus = loadCorpus();
if (!corpus.found) console.log(corpusMissingMessage(corpus.path));
const cases = selectCases(corpus.cases, process.env.CORPUS_CASE);
const options = { timeoutMs: Number(process.env.CORPUS_TIMEOUT_MS ?? 60_000), pollMs: 100, logGraceMs: 30_000 };
const resultsDir = process.env.CORPUS_RESULTS_DIR ?? resolve(repoRoot, 'tmp', 'kestra-corpus');

describeCorpusSuite({
  title: 'Kestra compatibility corpus',
  found: corpus.found,
  cases,
  resultsDir,
  heading: (mode) => `Kestra corpus, ${mode} mode (${corpus.path})`,
  run: (target, deployer, c) => runCase(target.api, c, corpus.cases, deployer, options),
  judge: (result, mode) => judge(result, mode),
});
