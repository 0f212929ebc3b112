import { Badge, Button, Group, Text, TextInput } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../api/graphql-client.js';
import { REWIND, savepointAtOrBefore, type Savepoint } from '../api/execution-model.operations.js';
import { useSession } from '../auth/session-context.js';

interface Props {
  executionId: string;
  /** The event the time-travel slider is on. */
  revision: number;
  savepoints: readonly Savepoint[];
  /** The API offers REWIND now (its state allows it) and the token may deploy in its namespace. */
  allowed: boolean;
  onRewound: () => void;
}

/**
 * "Rewind to here" on the time-travel slider: the execution goes back IN PLACE to the newest
 * savepoint at or before the chosen event (same execution; the log keeps everything), after a
 * confirmation that says what happens. Shown only where a savepoint exists.
 */
export function RewindControl({ executionId, revision, savepoints, allowed, onRewound }: Props) {
  const { client } = useSession();
  const point = savepointAtOrBefore(savepoints, revision);
  if (point === undefined) return <Text size="xs" c="dimmed">No savepoint at or before this event.</Text>;
  let reason = '';
  const rewind = async () => {
    try {
      await client.request(REWIND, { id: executionId, toRevision: point.revision, reason: reason.trim() === '' ? undefined : reason.trim() });
      notifications.show({ color: 'green', message: `Rewound before task ${point.taskId}` });
      onRewound();
    } catch (error) {
      notifications.show({ color: 'red', title: 'Not rewound', message: errorMessage(error) });
    }
  };
  const confirm = () =>
    modals.openConfirmModal({
      title: `Rewind before task ${point.taskId}?`,
      children: (
        <>
          <Text size="sm" mb="xs">
            The execution goes back to event {point.revision} and runs on from there: task {point.taskId} and what follows run again as new attempts.
            The history keeps every event; attempts still running are stopped.
          </Text>
          <TextInput label="Reason (kept in the history)" onChange={(e) => (reason = e.currentTarget.value)} data-autofocus />
        </>
      ),
      labels: { confirm: 'Rewind', cancel: 'Cancel' },
      confirmProps: { color: 'orange' },
      onConfirm: () => void rewind(),
    });
  return (
    <Group gap="xs" data-testid="rewind-control" data-savepoint={point.revision}>
      <Badge variant="light" color="orange">savepoint {point.revision}: before {point.taskId}</Badge>
      {allowed && (
        <Button size="compact-xs" color="orange" variant="light" onClick={confirm}>
          Rewind to here
        </Button>
      )}
    </Group>
  );
}
