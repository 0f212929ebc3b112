import { CodedError } from '@chronicle/errors';

/** A breakpoint option that cannot be: names the field (`breakpoints[1]`, `stepMode`). Maps to BAD_USER_INPUT. */
export class BreakpointOptionError extends CodedError {
  readonly issues: readonly { readonly path: readonly string[]; readonly message: string }[];

  constructor(readonly field: string, problem: string) {
    super('BREAKPOINT_INVALID', `${field} ${problem}`);
    this.issues = [{ path: [field], message: problem }];
  }
}
