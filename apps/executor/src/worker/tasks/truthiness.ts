const FALSY_TEXT = new Set(['false', '0', '-0', '']);

/**
 * Kestra's truthiness of a rendered condition (TruthUtils): the text is false when it is
 * `false`, `0`, `-0` or empty once trimmed (case-insensitive); anything else is true.
 * Non-text values (a template that rendered to a boolean or a number) follow the same rule.
 */
export const isTruthyText = (value: unknown): boolean => {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return !FALSY_TEXT.has(text.trim().toLowerCase());
};
