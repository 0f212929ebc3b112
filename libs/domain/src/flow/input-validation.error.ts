import { DomainError } from '../shared/domain-error.js';

export interface InputIssue {
  /** The input's id as declared in the flow. */
  readonly input: string;
  readonly message: string;
}

/** The inputs given to a new execution do not fit the flow. Lists every bad input at once. */
export class InputValidationError extends DomainError {
  readonly code = 'EXECUTION.INVALID_INPUTS';

  constructor(readonly issues: readonly InputIssue[]) {
    super(`invalid inputs: ${issues.map((i) => `${i.input}: ${i.message}`).join('; ')}`);
  }
}
