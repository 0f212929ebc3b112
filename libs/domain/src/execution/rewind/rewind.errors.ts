import { CodedError } from '@chronicle/errors';

/** A rewind to a point the execution does not offer; names the field. Maps to BAD_USER_INPUT. */
export class SavepointNotFoundError extends CodedError {
  readonly issues: readonly { readonly path: readonly string[]; readonly message: string }[];

  constructor(readonly field: string, problem: string) {
    super('REWIND_INVALID', `${field}: ${problem}`);
    this.issues = [{ path: [field], message: problem }];
  }
}
