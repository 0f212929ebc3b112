import jsep from 'jsep';
import { EvaluationFailure } from './expression.error.js';

/**
 * jsep, configured for Pebble's operators (ternary comes with jsep's default build). jsep's
 * configuration is global to the module; nothing else in Chronicle uses jsep, and these settings
 * are applied once when this module loads.
 *
 * Precedence (higher binds tighter): `??`/`or`/`||` 1, `and`/`&&` 2, `==` `!=` 6, comparisons 7,
 * `~` 8.5 (below arithmetic, so `'n=' ~ 1 + 2` is `n=3`), `+ -` 9, `* / %` 10, `|` filter 12
 * (tightest, as in Pebble: `a ~ b | upper` upper-cases b only).
 */
for (const op of ['|', '^', '&', '===', '!==', '<<', '>>', '>>>', '**']) jsep.removeBinaryOp(op);
jsep.removeUnaryOp('~');
jsep.addBinaryOp('or', 1);
jsep.addBinaryOp('and', 2);
jsep.addBinaryOp('~', 8.5);
jsep.addBinaryOp('|', 12);
jsep.addUnaryOp('not');

export type Node = jsep.Expression;

/** Parses one expression (the text between `{{` and `}}`); throws EvaluationFailure. */
export const parseExpression = (expression: string): Node => {
  try {
    return jsep(expression);
  } catch (error) {
    const { description, index } = error as { description?: string; index?: number };
    throw new EvaluationFailure(
      `syntax error: ${description ?? (error as Error).message}${index !== undefined ? ` at character ${index + 1}` : ''}`,
    );
  }
};
