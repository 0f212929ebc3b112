import { RE2JS } from 're2js';
import { EvaluationFailure } from './expression.error.js';

/**
 * Regular expressions written by flow authors (`replace(..., regexp=true)`, `split`) run on RE2
 * (re2js, a pure-JS port of RE2/J): matching is linear in the input, so a pattern such as
 * `(a+)+$` cannot stall the process the way a backtracking engine does (issue 18). RE2 refuses
 * what needs backtracking (backreferences `\1`, lookarounds `(?=...)`); the error says so. The
 * syntax is otherwise Java's, as in Kestra, and replacement strings use Java's `$1` / `\$`.
 */
const cache = new Map<string, RE2JS>();
const MAX_CACHED = 256;

export const compileRegex = (pattern: string, what: string): RE2JS => {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    throw new EvaluationFailure(
      `${what}: invalid regular expression "${pattern}": ${(error as Error).message}` +
        ' (regular expressions run on RE2: no backreferences or lookarounds)',
    );
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, compiled);
  return compiled;
};

/** Java's `String.replaceAll(regex, replacement)`. */
export const regexReplaceAll = (text: string, pattern: string, replacement: string, what: string): string => {
  try {
    return compileRegex(pattern, what).matcher(text).replaceAll(replacement, true);
  } catch (error) {
    if (error instanceof EvaluationFailure) throw error;
    throw new EvaluationFailure(`${what}: invalid replacement "${replacement}" for "${pattern}": ${(error as Error).message}`);
  }
};

/** Java's `String.split(regex, limit)`: limit 0 drops trailing empty strings. */
export const regexSplit = (text: string, pattern: string, limit: number, what: string): string[] =>
  compileRegex(pattern, what).split(text, limit);

/** Java's `String.matches(regex)`: the whole text must match. */
export const regexMatches = (text: string, pattern: string, what: string): boolean => compileRegex(pattern, what).matches(text);
