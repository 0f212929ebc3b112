/** The rendered texts Kestra's TruthUtils treats as false (once trimmed); everything else is true. */
export const FALSE_RENDERINGS: readonly string[] = ['false', '0', '-0', ''];

/**
 * Kestra decides conditions (If, Fail, ...) on the RENDERED text, trimmed: `{{ inputs.x }}` with
 * x = 0 renders "0", which is false, and so is " false "; "False", "no" or "null" are true, as in
 * Kestra (the comparison is exact, case included). null (a property that is absent) is false.
 * The one rule for every condition: the decider's and the workers' (the Fail task) alike.
 */
export const isTruthy = (rendered: string | null | undefined): boolean =>
  rendered !== null && rendered !== undefined && !FALSE_RENDERINGS.includes(rendered.trim());
