import { resolve } from 'node:path';
import { runCase, type CaseResult } from './case-runner.js';
import { ChronicleApi } from './chronicle-api.js';
import { repoRoot, selectCases } from './corpus.js';
import { describeCorpusSuite } from './corpus-suite.js';
import { judge } from './documented-differences.js';
import type { FlowDeployer } from './flow-deployer.js';
import { KestraMirror, mirrorMissingMessage, requiredCases, toCorpusCase, type SourceCase } from './kestra-source.js';
import { SOURCE_CASES } from './kestra-source-cases.js';
import { checkRelated } from './related-executions.js';

/**
 * Kestra's own test flows read from the mirror of its repository (not from ../shared/kestra-corpus),
 * run in every mode and checked against what Kestra's Java tests assert (kestra-source-cases.ts).
 * A case either ends as Kestra says, or is one Chronicle refuses at deploy on purpose (`refused`,
 * with the reason). Env: SOURCE_CASE (names or globs), CORPUS_MODES, CHRONICLE_URL + CHRONICLE_TOKEN,
 * CORPUS_TIMEOUT_MS, CORPUS_CONCURRENCY, CORPUS_RESULTS_DIR, KESTRA_MIRROR.
 */
const mirror = new KestraMirror();
if (!mirror.found) console.log(mirrorMissingMessage(mirror.path));
const commit = mirror.found ? mirror.commit() : '';
const byName = new Map(SOURCE_CASES.map((c) => [c.name, c]));
const corpusCases = mirror.found ? SOURCE_CASES.map((c) => toCorpusCase(c, mirror, commit)) : [];
const cases = selectCases(corpusCases, process.env.SOURCE_CASE);
const required = mirror.found ? requiredCases(SOURCE_CASES, mirror, commit) : [];
const options = { timeoutMs: Number(process.env.CORPUS_TIMEOUT_MS ?? 60_000), pollMs: 100, logGraceMs: 30_000 };
const resultsDir = process.env.CORPUS_RESULTS_DIR ?? resolve(repoRoot, 'tmp', 'kestra-source');
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Starts executions with FILE inputs as Kestra's API takes them: multipart, one part per file. */
class SourceApi extends ChronicleApi {
  constructor(api: ChronicleApi, private readonly files: Readonly<Record<string, string>>) {
    super(api.client);
  }

  override async createExecution(namespace: string, flowId: string, inputs?: Record<string, unknown>, labels?: Record<string, string>): Promise<string> {
    const form = new FormData();
    for (const [k, v] of Object.entries(inputs ?? {})) form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    for (const [k, content] of Object.entries(this.files)) form.append('files', new Blob([content], { type: 'text/plain' }), k);
    const query = labels ? `?${Object.entries(labels).map(([k, v]) => `labels=${encodeURIComponent(`${k}:${v}`)}`).join('&')}` : '';
    const res = await fetch(`${this.client.url}/api/v1/executions/${namespace}/${flowId}${query}`, { method: 'POST', headers: { authorization: `Bearer ${this.client.token}` }, body: form });
    const body = (await res.json()) as { id?: string; message?: string };
    if (!res.ok || !body.id) throw new Error(`start with files answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return body.id;
  }
}

async function runRefusal(deployer: FlowDeployer, c: SourceCase, yaml: string): Promise<CaseResult> {
  const started = Date.now();
  const error = await deployer.deploy(yaml).then(() => undefined, message);
  const ok = !!error && error.includes(c.refused!.contains);
  const failures = ok ? [] : [{ id: 'refused', what: `deploy refused (${c.refused!.reason})`, expected: `an error containing ${JSON.stringify(c.refused!.contains)}`, actual: error ?? 'deployed' }];
  return { name: c.name, passed: ok, failures, executionIds: [], durationMs: Date.now() - started };
}

describeCorpusSuite({
  title: "Kestra's test flows from its repository",
  found: mirror.found,
  cases,
  resultsDir,
  heading: (mode) => `Kestra source flows, ${mode} mode (${mirror.path} @ ${commit.slice(0, 10)})`,
  async run(target, deployer, c) {
    const source = byName.get(c.name)!;
    if (source.refused) return runRefusal(deployer, source, c.yaml);
    const api = source.files ? new SourceApi(target.api, source.files) : target.api;
    const result = await runCase(api, c, required, deployer, options);
    if (!source.related?.length || !result.executionIds[0]) return result;
    const parent = await api.execution(result.executionIds[0]);
    const more = parent ? await checkRelated(api, c, parent, source.related, options.timeoutMs) : [{ id: 'related', what: 'the case execution', expected: 'found', actual: 'none' }];
    return { ...result, passed: result.passed && more.length === 0, failures: [...result.failures, ...more] };
  },
  judge: (result, mode) => judge(result, mode, []),
});
