/** The rendered texts Kestra's TruthUtils treats as false; everything else is true. */
export const FALSE_RENDERINGS: readonly string[] = ['false', '0', '-0', ''];

/**
 * Kestra decides conditions (If, Fail, ...) on the RENDERED text: `{{ inputs.x }}` with x = 0
 * renders "0", which is false; "False", "no" or "null" are true, as in Kestra. null (a property
 * that is absent) is false.
 */
export const isTruthy = (rendered: string | null | undefined): boolean =>
  rendered !== null && rendered !== undefined && !FALSE_RENDERINGS.includes(rendered);
