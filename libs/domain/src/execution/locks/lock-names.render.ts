import type { ExpressionContext } from '../../expression/expression-context.js';
import { ExpressionError } from '../../expression/expression.error.js';
import { renderTemplate } from '../../expression/template.renderer.js';
import { isLockExpression, lockNameProblem } from '../../flow/lock-names.js';
import { CodedError } from '@chronicle/errors';

/** A flow's `locks` entry that renders to no lock name for this execution: the start is refused. */
export class LockNameError extends CodedError {
  readonly issues: readonly { readonly path: readonly string[]; readonly message: string }[];

  constructor(readonly field: string, problem: string) {
    super('LOCK_NAME_INVALID', `${field} ${problem}`);
    this.issues = [{ path: [field], message: problem }];
  }
}

/**
 * Renders declared lock entries (names or expressions) into the claim's names: each checked
 * against the lock name pattern, then sorted and made distinct, the one order every claim is
 * taken in. `{ error }` names the entry (`locks[1]`) and what it gave.
 */
export const renderLockNames = (declared: readonly string[], context: ExpressionContext, field = 'locks'): { names: string[] } | { error: string; field: string } => {
  const names = new Set<string>();
  for (const [index, entry] of declared.entries()) {
    const at = `${field}[${index}]`;
    let name = entry;
    if (isLockExpression(entry)) {
      try {
        name = renderTemplate(entry, context).trim();
      } catch (error) {
        if (error instanceof ExpressionError) return { field: at, error: `cannot be rendered: ${error.message}` };
        throw error;
      }
    }
    const problem = lockNameProblem(name);
    if (problem !== undefined) return { field: at, error: isLockExpression(entry) ? `rendered ${problem}` : problem };
    names.add(name);
  }
  return { names: [...names].sort() };
};
