/**
 * The Pebble names a Kestra flow may use, as Kestra registers them: Pebble's own extensions
 * (listed here, Pebble is not in the mirror) changed by Kestra's ExtensionCustomizer, plus Kestra's
 * Extension (both read from the mirror).
 */
export const EXTENSION = 'core/src/main/java/io/kestra/core/runners/pebble/Extension.java';
export const CUSTOMIZER = 'core/src/main/java/io/kestra/core/runners/pebble/ExtensionCustomizer.java';

/**
 * Pebble 3.2's built-ins (io.pebbletemplates.pebble.extension.core.CoreExtension; `escape`/`raw`
 * from escaper.EscaperExtension, `i18n` from i18n.I18nExtension; `block`/`parent` are functions its
 * parser compiles itself). Kestra pins io.pebbletemplates:pebble:3.2.2 (platform/build.gradle).
 */
export const PEBBLE_BUILT_INS = {
  source: 'PebbleTemplates/pebble pebble/src/main/java/io/pebbletemplates/pebble/extension/core/CoreExtension.java (3.2)',
  filters: [
    'abbreviate', 'abs', 'capitalize', 'date', 'default', 'first', 'join', 'last', 'lower', 'numberformat', 'slice', 'sort', 'rsort',
    'reverse', 'title', 'trim', 'upper', 'urlencode', 'length', 'replace', 'merge', 'split', 'base64encode', 'base64decode', 'sha256',
    'nl2br', 'escape', 'raw',
  ],
  tests: ['empty', 'even', 'iterable', 'map', 'null', 'odd', 'defined'],
  functions: ['max', 'min', 'range', 'i18n', 'block', 'parent'],
  binaryOperators: ['or', 'and', 'is', 'is not', 'contains', '==', 'equals', '!=', '>', '<', '>=', '<=', '+', '-', '*', '/', '%', '|', '~', '..'],
  unaryOperators: ['not', '+', '-'],
  tags: ['block', 'extends', 'embed', 'filter', 'flush', 'for', 'if', 'import', 'include', 'macro', 'parallel', 'set', 'cache', 'from', 'autoescape', 'verbatim'],
} as const;

export interface KestraPebbleNames {
  readonly filters: readonly string[];
  readonly tests: readonly string[];
  readonly functions: readonly string[];
  readonly binaryOperators: readonly string[];
  readonly unaryOperators: readonly string[];
  readonly tags: readonly string[];
  /** What ExtensionCustomizer takes out of Pebble's lists (Kestra flows cannot use them). */
  readonly removed: { readonly filters: readonly string[]; readonly functions: readonly string[]; readonly tags: readonly string[] };
}

const all = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((m) => m[1]!);

/** The body of the method named `name` (up to the next method), where a registration list is built. */
const method = (source: string, name: string): string => {
  const start = source.indexOf(`${name}()`);
  if (start === -1) return '';
  const next = source.slice(start + name.length).search(/\n\s*(@Override|public|private|protected)\b/);
  return next === -1 ? source.slice(start) : source.slice(start, start + name.length + next);
};

/** Token parsers ExtensionCustomizer removes, by class name, as Pebble tag names. */
const TAG_OF_PARSER: Readonly<Record<string, string>> = {
  AutoEscapeTokenParser: 'autoescape', ExtendsTokenParser: 'extends', EmbedTokenParser: 'embed', FlushTokenParser: 'flush',
  ImportTokenParser: 'import', IncludeTokenParser: 'include', ParallelTokenParser: 'parallel', CacheTokenParser: 'cache', FromTokenParser: 'from',
};

export const kestraPebbleNames = (extension: string, customizer: string): KestraPebbleNames => {
  const removedFilters = all(method(customizer, 'getFilters'), /list\.remove\("([^"]+)"\)/g);
  const addedFilters = all(method(customizer, 'getFilters'), /list\.put\("([^"]+)"/g);
  const removedFunctions = all(method(customizer, 'getFunctions'), /list\.remove\("([^"]+)"\)/g);
  const removedTags = [...new Set(all(method(customizer, 'getTokenParsers'), /instanceof (\w+)\)/g).map((p) => TAG_OF_PARSER[p] ?? p))];
  const unique = (names: readonly string[]) => [...new Set(names)].sort();
  return {
    filters: unique([...PEBBLE_BUILT_INS.filters.filter((f) => !removedFilters.includes(f)), ...addedFilters, ...all(extension, /filters\.put\("([^"]+)"/g)]),
    tests: unique([...PEBBLE_BUILT_INS.tests, ...all(extension, /tests\.put\("([^"]+)"/g)]),
    functions: unique([...PEBBLE_BUILT_INS.functions.filter((f) => !removedFunctions.includes(f)), ...all(extension, /functions\.put\("([^"]+)"/g)]),
    binaryOperators: unique([...PEBBLE_BUILT_INS.binaryOperators, ...all(method(extension, 'getBinaryOperators'), /new BinaryOperatorImpl\("([^"]+)"/g)]),
    unaryOperators: unique([...PEBBLE_BUILT_INS.unaryOperators, ...all(method(extension, 'getUnaryOperators'), /new UnaryOperatorImpl\("([^"]+)"/g)]),
    tags: unique(PEBBLE_BUILT_INS.tags.filter((t) => !removedTags.includes(t))),
    removed: { filters: unique(removedFilters.filter((f) => !addedFilters.includes(f))), functions: unique(removedFunctions), tags: unique(removedTags) },
  };
};
