import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult } from './case-runner.js';
import type { CorpusMode, Verdict } from './documented-differences.js';
import type { AssertionFailure } from './expectations.js';

const short = (v: unknown, max = 300): string => {
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

export function formatFailure(f: AssertionFailure): string {
  const values = f.expected === undefined && f.actual === undefined ? '' : `: expected ${short(f.expected)}, got ${short(f.actual)}`;
  return `${f.id} ${f.what}${values}${f.inferred ? ' [inferred by the corpus]' : ''}`;
}

/** `PASS name`, `FAIL name: <first failed assertion>`, `DIFF name: <documented reason>`. */
export function verdictLine(v: Verdict): string {
  switch (v.kind) {
    case 'PASS':
      return `PASS ${v.name}${v.note ? ` (${v.note})` : ''}`;
    case 'DIFF':
      return `DIFF ${v.name}: ${v.reason}`;
    case 'FAIL':
      return `FAIL ${v.name}: ${formatFailure(v.failures[0])}`;
  }
}

export function summary(mode: CorpusMode, verdicts: readonly Verdict[], total: number): string {
  const count = (k: Verdict['kind']) => verdicts.filter((v) => v.kind === k).length;
  const lines = verdicts.map(verdictLine);
  const missing = total - verdicts.length;
  lines.push(
    `${mode}: ${count('PASS')}/${total} passed, ${count('DIFF')} documented differences, ${count('FAIL')} failed${missing ? `, ${missing} not run` : ''}`,
  );
  return lines.join('\n');
}

/** Full results (every failed assertion, execution ids) as JSON, for reading after the run. */
export function writeResults(dir: string, mode: CorpusMode, results: ReadonlyArray<{ result: CaseResult; verdict: Verdict }>): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${mode}.json`);
  writeFileSync(file, JSON.stringify(results.map(({ result, verdict }) => ({ verdict: verdict.kind, ...result })), null, 2));
  return file;
}
