import { Badge, Button, Group, Modal, NumberInput, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { STEER } from '../api/operations.js';
import type { Execution, StartedBy } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { formatDate, shortId } from '../components/format.js';
import { parseLabels } from '../flows/input-values.js';

/** The labels an operator may change: system.* labels are Chronicle's and stay as they are. */
const ownLabels = (labels: Record<string, string> | null | undefined): string[] =>
  Object.entries(labels ?? {}).filter(([k]) => !k.startsWith('system.')).map(([k, v]) => `${k}=${v}`);

const startedByText = (s: StartedBy) => (s.kind === 'execution' ? `execution ${shortId(s.id)}` : `${s.kind} ${s.id}`);

/**
 * The run's options and its steering (Cloudomation's execution record): the status message,
 * name, mode, priority, maximum runtime, deferred start, who started it and why it was killed.
 * An operator may set the status message, the priority and the labels at any time ("Steer…").
 */
export function RunDetails({ execution }: { execution: Execution }) {
  const { client, access } = useSession();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState('');
  const [priority, setPriority] = useState<string | number>('');
  const [labels, setLabels] = useState<string[]>([]);
  const [labelError, setLabelError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const openSteer = () => {
    setMessage(execution.message ?? '');
    setPriority(execution.priority ?? '');
    setLabels(ownLabels(execution.labels));
    setLabelError(undefined);
    setError(undefined);
    setOpen(true);
  };
  const steer = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseLabels(labels);
    setLabelError(parsed.error);
    if (parsed.error) return;
    setBusy(true);
    try {
      // Only what changed is sent: an unchanged priority is not re-queued, unchanged labels not replaced.
      const changedPriority = priority === '' || Number(priority) === execution.priority ? undefined : Number(priority);
      const changedLabels = labels.join('\n') === ownLabels(execution.labels).join('\n') ? undefined : parsed.labels;
      await client.request(STEER, {
        id: execution.id, message,
        ...(changedPriority !== undefined ? { priority: changedPriority } : {}),
        ...(changedLabels !== undefined ? { labels: changedLabels } : {}),
      });
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
          <TagsInput label="Labels" description="key=value, Enter after each; replaces the labels (system labels stay)" value={labels} onChange={setLabels} error={labelError} />
          {error && <Text size="sm" c="red">{error}</Text>}
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>Save</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
