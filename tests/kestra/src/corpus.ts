import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/**
 * The Kestra compatibility corpus (../shared/kestra-corpus/corpus.json beside the checkout):
 * Kestra's own test flows with the outcomes its Java tests assert. Field meanings are in the
 * corpus README; the types below follow it.
 */
export type InputsMode = 'none' | 'raw' | 'typed';

export interface FlowRef {
  readonly namespace: string;
  readonly flowId: string;
  readonly kestraPath: string;
}

/** Where a task run is found: its n-th run (`index`) or its chain of loop values (`values`). */
export interface TaskRunRef {
  readonly taskId: string;
  readonly index?: number;
  readonly values?: readonly string[];
  readonly path?: string;
}

export interface OutputAssertion {
  readonly target: string;
  readonly op: string;
  readonly expected?: unknown;
  readonly path?: string | readonly string[];
  readonly taskId?: string;
  readonly index?: number;
  readonly values?: readonly string[];
  readonly subject?: TaskRunRef;
  readonly object?: TaskRunRef;
  readonly prefix?: string;
}

export interface TaskRunExpectation {
  readonly taskId: string;
  readonly state?: string;
  readonly attempts?: number;
  /** Kestra's `greaterThanOrEqualTo` on the attempt count (retries racing a failing sibling). */
  readonly minAttempts?: number;
  readonly lastAttemptState?: string;
  readonly listIndex?: number;
  readonly historyCounts?: Readonly<Record<string, number>>;
  readonly count?: number;
}

export interface CaseExpectation {
  readonly state: string;
  readonly taskRunCount: number | null;
  readonly outputs: readonly OutputAssertion[];
  readonly taskRuns: readonly TaskRunExpectation[];
  readonly asserted: readonly string[];
  readonly inferred: readonly string[];
  readonly child?: { readonly flowId: string; readonly state?: string; readonly taskRunCount?: number };
  readonly secondExecution?: { readonly state?: string; readonly historyPrefix?: readonly string[] };
}

export interface CorpusCase {
  readonly name: string;
  readonly flowId: string;
  readonly namespace: string;
  readonly kestraPath: string;
  readonly commit: string;
  readonly yaml: string;
  readonly taskTypes: readonly string[];
  readonly inputs: Readonly<Record<string, unknown>> | null;
  readonly inputsMode: InputsMode;
  readonly executionLabels: ReadonlyArray<{ readonly key: string; readonly value: string }> | null;
  readonly requiresFlows: readonly FlowRef[];
  readonly steps: readonly string[] | null;
  readonly expected: CaseExpectation;
  readonly confidence: string;
  readonly javaTest: string;
  readonly notes: string;
}

export type Corpus =
  | { readonly found: true; readonly path: string; readonly cases: readonly CorpusCase[] }
  | { readonly found: false; readonly path: string; readonly cases: readonly [] };

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** `<repo>/../shared/kestra-corpus/corpus.json`, or KESTRA_CORPUS when set. */
export function defaultCorpusPath(): string {
  return process.env.KESTRA_CORPUS ?? resolve(repoRoot, '..', 'shared', 'kestra-corpus', 'corpus.json');
}

export function loadCorpus(path = defaultCorpusPath()): Corpus {
  if (!existsSync(path)) return { found: false, path, cases: [] };
  const cases = JSON.parse(readFileSync(path, 'utf8')) as CorpusCase[];
  return { found: true, path, cases };
}

export const corpusMissingMessage = (path: string) =>
  `kestra corpus not found at ${path}: skipping the Kestra compatibility suite`;

/**
 * CORPUS_CASE: one case name, a comma list, or globs with `*` (e.g. `switch/*`).
 * Unknown names are an error, so a typo never runs zero cases silently.
 */
export function selectCases(cases: readonly CorpusCase[], filter: string | undefined): readonly CorpusCase[] {
  if (!filter?.trim()) return cases;
  const patterns = filter.split(',').map((p) => p.trim()).filter(Boolean);
  const selected = cases.filter((c) => patterns.some((p) => globMatch(p, c.name)));
  const unmatched = patterns.filter((p) => !cases.some((c) => globMatch(p, c.name)));
  if (unmatched.length) throw new Error(`CORPUS_CASE names no case: ${unmatched.join(', ')}`);
  return selected;
}

function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/** The flow a case depends on, found in the corpus by kestraPath (or namespace + flow id). */
export function findRequiredFlow(cases: readonly CorpusCase[], ref: FlowRef): CorpusCase | undefined {
  return cases.find((c) => c.kestraPath === ref.kestraPath) ?? cases.find((c) => c.namespace === ref.namespace && c.flowId === ref.flowId);
}
