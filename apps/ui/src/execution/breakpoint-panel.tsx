import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../api/graphql-client.js';
import { KILL, RESOLVE_BREAKPOINT } from '../api/operations.js';
import type { Execution } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { JsonView } from '../components/json-view.js';

type Action = 'CONTINUE' | 'STEP' | 'SKIP';

/**
 * The breakpoint the execution is paused at: the task it stopped before, with the properties it
 * would run with, and the operator's answers (continue, step, skip, abort).
 */
export function BreakpointPanel({ execution }: { execution: Execution }) {
  const { client, access } = useSession();
  const held = execution.state === 'PAUSED' ? execution.taskRuns.find((r) => r.breakpoint && r.state === 'CREATED') : undefined;
  if (!held?.breakpoint) return null;
  const answer = async (query: string, done: string, variables: Record<string, unknown> = {}) => {
    try {
      await client.request(query, { id: execution.id, ...variables });
      notifications.show({ color: 'green', message: done });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Not done', message: errorMessage(error) });
    }
  };
  const resolve = (action: Action, done: string) => () => void answer(RESOLVE_BREAKPOINT, done, { action });
  const abort = () =>
    modals.openConfirmModal({
      title: 'Abort this execution?',
      children: <Text size="sm">The task at the breakpoint never runs; the execution ends KILLED.</Text>,
      labels: { confirm: 'Abort', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => void answer(KILL, 'Abort requested'),
    });
  return (
    <Alert color="violet" variant="light" title={`Paused before task ${held.taskId}`} data-testid="breakpoint-panel">
      <Stack gap="xs">
        <Text size="sm">
          {execution.stepMode ? 'Step mode: the run stops before every task.' : 'A breakpoint of this run.'} Task run <Text span ff="monospace">{held.id}</Text> will run with:
        </Text>
        {held.breakpoint.error ? (
          <Text size="sm" c="red" data-testid="breakpoint-error">{held.breakpoint.error}</Text>
        ) : (
          <JsonView label="Rendered properties" value={held.breakpoint.properties} expanded />
        )}
        {access.canExecute && (
          <Group gap="xs" role="toolbar" aria-label="Breakpoint actions">
            <Button color="green" onClick={resolve('CONTINUE', 'Continued')} title="Run on to the next breakpoint (step mode off)">Continue</Button>
            <Button variant="default" onClick={resolve('STEP', 'Stepped')} title="Run this task and pause before the next one">Step</Button>
            <Button variant="default" onClick={resolve('SKIP', 'Skipped')} title="End this task SKIPPED and go on">Skip</Button>
            <Button color="red" variant="light" onClick={abort}>Abort</Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
