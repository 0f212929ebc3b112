import { Badge, Button, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { STEER } from '../api/operations.js';
import type { Execution, StartedBy } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { formatDate, shortId } from '../components/format.js';

const startedByText = (s: StartedBy) => (s.kind === 'execution' ? `execution ${shortId(s.id)}` : `${s.kind} ${s.id}`);

/**
 * The run's options and its steering (Cloudomation's execution record): the status message,
 * name, mode, priority, maximum runtime, deferred start, who started it and why it was killed.
 * An operator may set the status message and the priority at any time ("Steer…").
 */
export function RunDetails({ execution }: { execution: Execution }) {
  const { client, access } = useSession();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState('');
  const [priority, setPriority] = useState<string | number>('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const openSteer = () => {
    setMessage(execution.message ?? '');
    setPriority(execution.priority ?? '');
    setError(undefined);
    setOpen(true);
  };
  const steer = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      // Only what changed is sent: an unchanged priority is not re-queued.
      const changedPriority = priority === '' || Number(priority) === execution.priority ? undefined : Number(priority);
      await client.request(STEER, { id: execution.id, message, ...(changedPriority !== undefined ? { priority: changedPriority } : {}) });
      notifications.show({ color: 'green', message: 'Execution updated' });
      setOpen(false);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const facts: Array<[string, string]> = [];
  if (execution.priority != null) facts.push(['Priority', String(execution.priority)]);
  if (execution.maxRuntime) facts.push(['Max runtime', execution.maxRuntime]);
  if (execution.scheduledAt) facts.push(['Scheduled at', formatDate(execution.scheduledAt)]);
  if (execution.startedBy) facts.push(['Started by', startedByText(execution.startedBy)]);

  return (
    <Stack gap={4} data-testid="run-details">
      <Group gap="xs">
        {execution.name && <Text size="sm" fw={600} data-testid="run-name">{execution.name}</Text>}
        {execution.mode === 'DEVELOPMENT' && <Badge color="grape" variant="light" data-testid="run-mode" title="A test run: no downstream flow triggers, its own concurrency slots, left out of the default lists">development run</Badge>}
        {facts.map(([label, value]) => (
          <Badge key={label} variant="outline" color="gray" tt="none" data-fact={label}>{label}: {value}</Badge>
        ))}
      </Group>
      <Group gap="xs">
        <Text size="sm" data-testid="execution-message" c={execution.message ? undefined : 'dimmed'}>
          {execution.message ? <>Status: {execution.message}</> : 'No status message'}
        </Text>
        {access.canExecute && <Button size="compact-xs" variant="subtle" onClick={openSteer}>Steer…</Button>}
      </Group>
      {execution.killReason && <Text size="sm" c="red" data-testid="kill-reason">Killed: {execution.killReason}</Text>}
      <Modal opened={open} onClose={() => setOpen(false)} title="Steer this execution">
        <Stack component="form" onSubmit={steer} aria-label="Steer the execution">
          <TextInput label="Status message" description="Shown in the executions list" value={message} onChange={(e) => setMessage(e.currentTarget.value)} data-autofocus />
          <NumberInput label="Priority" description="Higher first; a waiting execution moves in its queues" min={0} allowDecimal={false} value={priority} onChange={setPriority} />
          {error && <Text size="sm" c="red">{error}</Text>}
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>Save</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
