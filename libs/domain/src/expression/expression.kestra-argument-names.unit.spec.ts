import { describe, expect, it } from 'vitest';
import { FILTERS } from './expression.filters.js';
import { FUNCTIONS } from './expression.functions.js';

/**
 * The argument names of Kestra's filters and functions, as each class's getArgumentNames() lists
 * them (K = core/src/main/java/io/kestra/core/runners/pebble/; P = Pebble 3.2's
 * io/pebbletemplates/pebble/extension/core/): a flow may pass any of them by name
 * (`dateAdd(amount=1, unit="DAYS")`), so Chronicle must take the same names in the same order.
 */
const DATE = ['format', 'timeZone', 'existingFormat', 'locale'];
const KESTRA_FILTER_ARGUMENTS: Readonly<Record<string, readonly [readonly string[], string]>> = {
  chunk: [['size'], 'K filters/ChunkFilter.java'],
  date: [DATE, 'K AbstractDate.java'],
  dateAdd: [['amount', 'unit', ...DATE], 'K filters/DateAddFilter.java'],
  endsWith: [['value'], 'K filters/EndsWithFilter.java'],
  startsWith: [['value'], 'K filters/StartsWithFilter.java'],
  escapeChar: [['type'], 'K filters/EscapeCharFilter.java'],
  indent: [['amount', 'prefix'], 'K AbstractIndent.java'],
  nindent: [['amount', 'prefix'], 'K AbstractIndent.java'],
  jq: [['expression'], 'K filters/JqFilter.java'],
  number: [['type'], 'K filters/NumberFilter.java'],
  replace: [['replace_pairs', 'regexp'], 'K filters/ReplaceFilter.java'],
  substringAfter: [['separator'], 'K filters/SubstringAfterFilter.java'],
  substringAfterLast: [['separator'], 'K filters/SubstringAfterLastFilter.java'],
  substringBefore: [['separator'], 'K filters/SubstringBeforeFilter.java'],
  substringBeforeLast: [['separator'], 'K filters/SubstringBeforeLastFilter.java'],
  timestamp: [['timeZone', 'existingFormat'], 'K filters/TimestampFilter.java'],
  timestampMicro: [['timeZone', 'existingFormat'], 'K filters/TimestampMicroFilter.java'],
  timestampNano: [['timeZone', 'existingFormat'], 'K filters/TimestampNanoFilter.java'],
  default: [['default'], 'P DefaultFilter.java'],
  join: [['separator'], 'P JoinFilter.java'],
  split: [['delimiter', 'limit'], 'P SplitFilter.java'],
  slice: [['fromIndex', 'toIndex'], 'P SliceFilter.java'],
  merge: [['items'], 'P MergeFilter.java'],
};
const KESTRA_FUNCTION_ARGUMENTS: Readonly<Record<string, readonly [readonly string[], string]>> = {
  currentEachOutput: [['outputs'], 'K functions/CurrentEachOutputFunction.java'],
  decrypt: [['key', 'encrypted'], 'K functions/DecryptFunction.java'],
  encrypt: [['key', 'plaintext'], 'K functions/EncryptFunction.java'],
  fileSize: [['path'], 'K functions/FileSizeFunction.java'],
  fileURI: [['path'], 'K functions/FileURIFunction.java'],
  fromIon: [['ion'], 'K functions/FromIonFunction.java'],
  fromJson: [['json'], 'K functions/FromJsonFunction.java'],
  kv: [['key', 'namespace', 'errorOnMissing'], 'K functions/KvFunction.java'],
  randomInt: [['lower', 'upper'], 'K functions/RandomIntFunction.java'],
  read: [['path'], 'K functions/ReadFileFunction.java'],
  render: [['toRender', 'recursive'], 'K functions/RenderFunction.java'],
  renderOnce: [['toRender'], 'K functions/RenderOnceFunction.java'],
  secret: [['key'], 'K functions/SecretFunction.java'],
  yaml: [['yaml'], 'K functions/YamlFunction.java'],
  range: [['start', 'end', 'increment'], 'P RangeFunction.java'],
};

describe("Kestra's argument names", () => {
  it.each(Object.entries(KESTRA_FILTER_ARGUMENTS))('filter %s takes %j', (name, [names]) => {
    expect(FILTERS[name]?.params ?? []).toEqual(names);
  });

  it.each(Object.entries(KESTRA_FUNCTION_ARGUMENTS))('function %s takes %j', (name, [names]) => {
    expect(FUNCTIONS[name]?.params).toEqual(names);
  });
});
