import { Alert, Anchor, List, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { Execution, LockHolder } from '../api/types.js';
import { formatDate, shortId } from '../components/format.js';

const holderText = (h: LockHolder) => (
  <>
    <Anchor component={Link} to={`/executions/${h.executionId}`} ff="monospace">{shortId(h.executionId)}</Anchor>{' '}
    ({h.namespace}.{h.flowId}{h.taskRunId ? `, task run ${h.taskRunId}` : ''}) since {formatDate(h.since)}
  </>
);

/** The named locks the execution (or one of its tasks) waits for, with who holds each one now. */
export function LockWaitPanel({ execution }: { execution: Execution }) {
  const waiting = (execution.lockClaims ?? []).filter((c) => c.state === 'WAITING');
  if (waiting.length === 0) return null;
  const holders = new Map((execution.lockHolders ?? []).map((l) => [l.name, l]));
  return (
    <Alert color="orange" variant="light" title="Waiting for a lock" data-testid="lock-wait">
      <List size="sm" spacing={4}>
        {waiting.flatMap((claim) =>
          claim.names.map((name) => {
            const lock = holders.get(name);
            return (
              <List.Item key={`${claim.taskRunId ?? ''}:${name}`} data-lock={name}>
                <Text span ff="monospace">{name}</Text>
                {claim.taskRunId ? ` (for task run ${claim.taskRunId})` : ''}: {lock?.holder ? <>held by {holderText(lock.holder)}</> : 'being granted'}
                {lock && lock.waiters.length > 1 ? `; ${lock.waiters.length} waiting` : ''}
              </List.Item>
            );
          }),
        )}
      </List>
    </Alert>
  );
}
