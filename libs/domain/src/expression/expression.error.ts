import { CodedError } from '@chronicle/errors';

/**
 * An expression that cannot be parsed or evaluated: an undefined variable, an unknown filter,
 * a type mismatch. The message names the expression so a person can find it in the flow.
 */
export class ExpressionError extends CodedError {
  constructor(
    /** The expression as written between `{{` and `}}`, trimmed. */
    readonly expression: string,
    /** What went wrong, without the expression. */
    readonly reason: string,
    /** How to show the fragment in the message, when it is not an expression (a tag, a comment). */
    fragment = `{{ ${expression} }}`,
  ) {
    super('EXPRESSION_INVALID', `cannot render "${fragment}": ${reason}`);
  }
}

/** Thrown inside the evaluator, which does not know the expression text; the caller wraps it. */
export class EvaluationFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'EvaluationFailure';
  }
}
