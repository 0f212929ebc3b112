import { DomainError } from '../../shared/domain-error.js';

/** A breakpoint option that cannot be: names the field (`breakpoints[1]`, `stepMode`). Maps to BAD_USER_INPUT. */
export class BreakpointOptionError extends DomainError {
  readonly code = 'EXECUTION.BREAKPOINT.INVALID';
  readonly issues: readonly { readonly path: readonly string[]; readonly message: string }[];

  constructor(readonly field: string, problem: string) {
    super(`${field} ${problem}`);
    this.issues = [{ path: [field], message: problem }];
  }
}
