import { DomainError } from '../../shared/domain-error.js';

/** A rewind to a point the execution does not offer; names the field. Maps to BAD_USER_INPUT. */
export class SavepointNotFoundError extends DomainError {
  readonly code = 'EXECUTION.REWIND.INVALID';
  readonly issues: readonly { readonly path: readonly string[]; readonly message: string }[];

  constructor(readonly field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.issues = [{ path: [field], message: problem }];
  }
}
