import { CodedError } from '@chronicle/errors';

export interface InputIssue {
  /** The input's id as declared in the flow. */
  readonly input: string;
  readonly message: string;
}

/** The inputs given to a new execution do not fit the flow. Lists every bad input at once. */
export class InputValidationError extends CodedError {
  constructor(readonly issues: readonly InputIssue[]) {
    super('INPUTS_INVALID', `invalid inputs: ${issues.map((i) => `${i.input}: ${i.message}`).join('; ')}`);
  }
}
