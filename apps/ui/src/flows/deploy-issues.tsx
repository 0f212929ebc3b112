import { Alert, Anchor, List } from '@mantine/core';
import type { FlowIssue } from '../api/graphql-client.js';

/** The deploy's validation errors as a list that screen readers announce; a click jumps to the line. */
export function DeployIssues({ message, issues, onJump }: { message?: string; issues: readonly FlowIssue[]; onJump(line: number): void }) {
  if (!message && issues.length === 0) return null;
  return (
    <Alert color="red" title="The flow was not deployed" role="alert" data-testid="deploy-errors">
      {issues.length === 0 ? (
        message
      ) : (
        <List size="sm">
          {issues.map((issue, i) => (
            <List.Item key={i} data-line={issue.line}>
              {issue.line ? (
                <Anchor component="button" type="button" size="sm" onClick={() => onJump(issue.line!)}>
                  line {issue.line}
                </Anchor>
              ) : null}
              {issue.line ? ': ' : ''}
              <code>{issue.path}</code> {issue.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
