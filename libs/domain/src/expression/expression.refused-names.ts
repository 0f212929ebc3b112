/**
 * Names Kestra's Pebble registers that Chronicle refuses on purpose, with the reason: a flow using
 * one is refused at deploy (template.check.ts) with that reason, never told "unknown". Kestra's
 * list is Pebble's CoreExtension, EscaperExtension and I18nExtension, as trimmed by
 * core/src/main/java/io/kestra/core/runners/pebble/ExtensionCustomizer.java, plus its own
 * Extension.java; tests/kestra/src/language-coverage/expression-names.unit.spec.ts walks it.
 */
export const REFUSED_FUNCTIONS: Readonly<Record<string, string>> = {
  // ExtensionCustomizer removes "l18n" (sic), so Pebble's i18n stays registered in Kestra.
  i18n: "it reads a Java resource bundle from the server's classpath, and Kestra ships none for flows (every call fails there); write the text, or pick it from a map with a subscript",
  // Pebble parses parent() for template inheritance; Kestra removes `extends`, so there is never a parent.
  parent: 'it renders the parent template\'s block, and templates cannot extend one another (Kestra removes the "extends" tag)',
};

export const REFUSED_FILTERS: Readonly<Record<string, string>> = {};

export const REFUSED_TESTS: Readonly<Record<string, string>> = {};

/** The deploy and run-time message for a refused name, or undefined when it is not refused. */
export const refusedName = (kind: 'filter' | 'function' | 'test', name: string): string | undefined => {
  const table = kind === 'filter' ? REFUSED_FILTERS : kind === 'function' ? REFUSED_FUNCTIONS : REFUSED_TESTS;
  return Object.hasOwn(table, name) ? `${kind} "${name}" is not supported by Chronicle: ${table[name]}` : undefined;
};
