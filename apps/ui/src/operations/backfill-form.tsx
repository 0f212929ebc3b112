import { Anchor, Button, Group, Stack, Switch, Text } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../api/graphql-client.js';
import { BACKFILL } from '../api/operations.js';
import type { Trigger } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel } from '../components/error-panel.js';
import { shortId } from '../components/format.js';

/** Runs a Schedule's slots in (from, to]; shows what started and what was skipped. */
export function BackfillForm({ trigger }: { trigger: Trigger }) {
  const { client } = useSession();
  const [from, setFrom] = useState<string | null>(dayjs().subtract(1, 'day').format('YYYY-MM-DD HH:mm:ss'));
  const [to, setTo] = useState<string | null>(dayjs().format('YYYY-MM-DD HH:mm:ss'));
  const [rerun, setRerun] = useState(false);
  const [result, setResult] = useState<{ started: string[]; skipped: string[] }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!from || !to) return setError('Choose both ends of the range');
    if (!dayjs(from).isBefore(dayjs(to))) return setError('"From" must be before "to"');
    setBusy(true);
    try {
      const { backfillTrigger } = await client.request<{ backfillTrigger: { started: string[]; skipped: string[] } }>(BACKFILL, {
        namespace: trigger.namespace, flowId: trigger.flowId, triggerId: trigger.id, from: dayjs(from).toISOString(), to: dayjs(to).toISOString(), rerunSucceeded: rerun,
      });
      setResult(backfillTrigger);
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Text size="sm">
        {trigger.namespace}.{trigger.flowId} · {trigger.id} <code>{trigger.cron}</code>
      </Text>
      <DateTimePicker label="From (exclusive)" value={from} onChange={setFrom} withSeconds required />
      <DateTimePicker label="To (inclusive)" value={to} onChange={setTo} withSeconds required />
      <Switch label="Run slots that already succeeded again" checked={rerun} onChange={(e) => setRerun(e.currentTarget.checked)} />
      <ErrorPanel title="Not backfilled" message={error} />
      {result && (
        <Text size="sm" role="status">
          Started {result.started.length}, skipped {result.skipped.length}.{' '}
          {result.started.slice(0, 10).map((id) => (
            <Anchor key={id} component={Link} to={`/executions/${id}`} ff="monospace" mr={6}>
              {shortId(id)}
            </Anchor>
          ))}
        </Text>
      )}
      <Group justify="flex-end">
        <Button onClick={submit} loading={busy}>
          Backfill
        </Button>
      </Group>
    </Stack>
  );
}
