import { Anchor, Button, ScrollArea, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage } from '../api/graphql-client.js';
import { NAMED_LOCKS, RELEASE_LOCK } from '../api/operations.js';
import type { LockHolder, NamedLock } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel, NotAvailable } from '../components/error-panel.js';
import { formatDate, shortId } from '../components/format.js';
import { useApiQuery } from '../hooks/use-api-query.js';

/** How often the table asks again: locks change with executions, which have their own live view. */
const REFRESH_MS = 5_000;

const who = (h: LockHolder) => (
  <>
    <Anchor component={Link} to={`/executions/${h.executionId}`} ff="monospace">{shortId(h.executionId)}</Anchor>
    <Text span size="xs" c="dimmed"> {h.namespace}.{h.flowId}{h.taskRunId ? ` · task run ${h.taskRunId}` : ''}</Text>
  </>
);

/** Named locks: holder, since when, the waiters in queue order; force-release for ADMIN. */
export function NamedLocksPanel() {
  const { client, access, surface } = useSession();
  const available = surface.hasQuery('namedLocks');
  const { data, error, reload } = useApiQuery<{ namedLocks: NamedLock[] }>(NAMED_LOCKS, {}, !available);
  useEffect(() => {
    if (!available) return undefined;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [available, reload]);
  if (!available) return <NotAvailable feature="Named locks" detail="This server's API has no namedLocks query." />;

  // Locks are per namespace: the release names the lock's.
  const release = (name: string, namespace: string) =>
    modals.openConfirmModal({
      title: `Force-release ${name} of ${namespace}?`,
      children: <Text size="sm">Its holder goes on without it and the next waiter gets it (Cloudomation's ignore_lock).</Text>,
      labels: { confirm: 'Release', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        try {
          await client.request(RELEASE_LOCK, { name, namespace });
          notifications.show({ color: 'green', message: `${name} released` });
          reload();
        } catch (e) {
          notifications.show({ color: 'red', title: 'Not released', message: errorMessage(e) });
        }
      },
    });

  const locks = data?.namedLocks ?? [];
  return (
    <>
      <ErrorPanel title="Locks could not be loaded" message={error} />
      {locks.length === 0 ? (
        <Text c="dimmed" size="sm">No lock is held or waited for.</Text>
      ) : (
        <ScrollArea>
          <Table striped miw={760} fz="sm" aria-label="Named locks" data-testid="named-locks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Lock</Table.Th>
                <Table.Th>Held by</Table.Th>
                <Table.Th>Since</Table.Th>
                <Table.Th>Waiting (in order)</Table.Th>
                {access.canAdmin && <Table.Th>Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {locks.map((l) => (
                <Table.Tr key={`${l.namespace}/${l.name}`} data-lock={l.name} data-lock-namespace={l.namespace}>
                  <Table.Td ff="monospace">{l.name} <Text span size="xs" c="dimmed">{l.namespace}</Text></Table.Td>
                  <Table.Td>{l.holder ? who(l.holder) : '—'}</Table.Td>
                  <Table.Td>{l.holder ? formatDate(l.holder.since) : '—'}</Table.Td>
                  <Table.Td>{l.waiters.length === 0 ? '—' : l.waiters.map((w, i) => <div key={w.executionId + (w.taskRunId ?? '')}>{i + 1}. {who(w)}</div>)}</Table.Td>
                  {access.canAdmin && (
                    <Table.Td>
                      {l.holder && <Button size="xs" color="red" variant="light" onClick={() => release(l.name, l.namespace)}>Force release</Button>}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </>
  );
}
