import { CodedError } from '@chronicle/errors';

export interface FlowIssue {
  /** Where in the flow, e.g. `tasks[1].type`; `(root)` for the document itself. */
  readonly path: string;
  readonly message: string;
  /** 1-based position in the YAML source, when known. */
  readonly line?: number;
  readonly column?: number;
}

export const formatFlowIssue = (issue: FlowIssue): string =>
  `${issue.path}: ${issue.message}` +
  (issue.line !== undefined ? ` (line ${issue.line}, column ${issue.column ?? 1})` : '');

/** A flow source that cannot be deployed. Lists every problem found, not only the first. */
export class FlowValidationError extends CodedError {
  constructor(readonly issues: readonly FlowIssue[]) {
    super(
      'FLOW_INVALID',
      issues.length === 1
        ? `invalid flow: ${formatFlowIssue(issues[0])}`
        : `invalid flow (${issues.length} problems):\n${issues.map((i) => `- ${formatFlowIssue(i)}`).join('\n')}`,
    );
  }
}
