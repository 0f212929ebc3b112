import type { JsonValue } from '../shared/json.js';
import type { Filter } from './expression.callables.js';
import { EvaluationFailure } from './expression.error.js';
import { compileRegex, regexReplaceAll } from './expression.regex.js';
import { toText, type Value } from './expression.values.js';

/**
 * Kestra's regex filters (Kestra >= 0.22: core/src/main/java/io/kestra/core/runners/pebble/filters/
 * RegexMatchFilter.java, RegexExtractFilter.java, RegexReplaceFilter.java): Java's
 * `Pattern.compile(regex).matcher(input)`, here on RE2 (expression.regex.ts). A null input gives
 * false (match) or null; `regex` (and `replacement`) are required.
 */
const required = (filter: string, name: string, value: Value): string => {
  if (value === undefined || value === null) throw new EvaluationFailure(`filter "${filter}": The argument '${name}' is required.`);
  return toText(value);
};

const groupOf = (value: Value): number => {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new EvaluationFailure(`filter "regexExtract": group must be a capture group number, got ${JSON.stringify(value)}`);
  return value;
};

export const REGEX_FILTERS: Readonly<Record<string, Filter>> = {
  /** True when `regex` is found anywhere in the text (Matcher.find). */
  regexMatch: {
    params: ['regex'],
    apply: (input, { regex }): JsonValue => {
      if (input === null || input === undefined) return false;
      const pattern = required('regexMatch', 'regex', regex);
      return compileRegex(pattern, 'filter "regexMatch"').matcher(toText(input)).find();
    },
  },
  /** The first match of `regex` (or its capture `group`), or null when there is none. */
  regexExtract: {
    params: ['regex', 'group'],
    apply: (input, { regex, group }): JsonValue => {
      if (input === null || input === undefined) return null;
      const pattern = required('regexExtract', 'regex', regex);
      const compiled = compileRegex(pattern, 'filter "regexExtract"');
      const n = groupOf(group);
      if (n > compiled.groupCount()) throw new EvaluationFailure(`filter "regexExtract": no group ${n} in "${pattern}"`);
      const matcher = compiled.matcher(toText(input));
      return matcher.find() ? matcher.group(n) : null;
    },
  },
  /** Every match of `regex` replaced by `replacement` (`$1` names a capture), as String.replaceAll. */
  regexReplace: {
    params: ['regex', 'replacement'],
    apply: (input, { regex, replacement }): JsonValue => {
      if (input === null || input === undefined) return null;
      const pattern = required('regexReplace', 'regex', regex);
      const by = required('regexReplace', 'replacement', replacement);
      return regexReplaceAll(toText(input), pattern, by, 'filter "regexReplace"');
    },
  },
};
