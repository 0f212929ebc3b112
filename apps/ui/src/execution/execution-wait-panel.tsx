import { Alert, Anchor, List, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { Execution } from '../api/types.js';
import { shortId } from '../components/format.js';
import { executionWaits } from './execution-waits.js';

/** The other executions this one waits for (WaitForExecution tasks), linked, with the states awaited. */
export function ExecutionWaitPanel({ execution, tasks }: { execution: Execution; tasks: unknown }) {
  const waits = executionWaits(execution.taskRuns, tasks);
  if (waits.length === 0) return null;
  return (
    <Alert color="blue" variant="light" title="Waiting for another execution" data-testid="execution-wait">
      <List size="sm" spacing={4}>
        {waits.map((w) => (
          <List.Item key={w.taskRunId} data-wait={w.taskId}>
            Task <Text span ff="monospace">{w.taskId}</Text> waits for{' '}
            {w.executionId
              ? <Anchor component={Link} to={`/executions/${encodeURIComponent(w.executionId)}`} ff="monospace">{shortId(w.executionId)}</Anchor>
              : <>the execution labelled {Object.entries(w.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')} (being looked up)</>}
            {' '}to be {w.states.join(' or ')}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
