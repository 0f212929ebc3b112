import { Badge, Button, Group, Modal, ScrollArea, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { SET_TRIGGER, TRIGGERS } from '../api/operations.js';
import type { Trigger } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel, NotAvailable } from '../components/error-panel.js';
import { formatDate } from '../components/format.js';
import { useApiQuery } from '../hooks/use-api-query.js';
import { BackfillForm } from './backfill-form.js';
import { DeclaredSchedules } from './declared-schedules.js';

/** Triggers with next and last fire; enable/disable (EDITOR+), backfill of schedules (OPERATOR+). */
export function TriggersPanel() {
  const { client, access, surface } = useSession();
  const available = surface.hasQuery('triggers');
  const { data, error, reload } = useApiQuery<{ triggers: Trigger[] }>(TRIGGERS, {}, !available);
  const [backfill, setBackfill] = useState<Trigger | null>(null);
  const canToggle = access.canDeploy && surface.hasMutation('enableTrigger') && surface.hasMutation('disableTrigger');
  const canBackfill = access.canExecute && surface.hasMutation('backfillTrigger');

  const toggle = async (t: Trigger) => {
    try {
      await client.request(SET_TRIGGER(t.enabled ? 'disableTrigger' : 'enableTrigger'), { namespace: t.namespace, flowId: t.flowId, triggerId: t.id });
      notifications.show({ color: 'green', message: `${t.id} ${t.enabled ? 'disabled' : 'enabled'}` });
      reload();
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not changed', message: errorMessage(e) });
    }
  };

  if (!available) {
    return (
      <>
        <NotAvailable feature="Trigger state" detail="This server's API has no triggers query: the triggers declared in flows are listed instead." />
        <DeclaredSchedules />
      </>
    );
  }
  const triggers = data?.triggers ?? [];
  return (
    <>
      <ErrorPanel title="Triggers could not be loaded" message={error} />
      <ScrollArea>
        <Table striped miw={760} fz="sm" aria-label="Triggers" data-testid="triggers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Flow</Table.Th>
              <Table.Th>Trigger</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Schedule</Table.Th>
              <Table.Th>Last fired</Table.Th>
              <Table.Th>Next fire</Table.Th>
              <Table.Th>Enabled</Table.Th>
              {(canToggle || canBackfill) && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {triggers.map((t) => (
              <Table.Tr key={`${t.namespace}/${t.flowId}/${t.id}`}>
                <Table.Td>{t.namespace}.{t.flowId}</Table.Td>
                <Table.Td>{t.id}</Table.Td>
                <Table.Td>{t.kind}</Table.Td>
                <Table.Td ff="monospace">{t.cron ? `${t.cron}${t.timezone ? ` (${t.timezone})` : ''}` : t.uri ? `every ${t.interval}: ${t.uri}` : (t.topic ?? '—')}</Table.Td>
                <Table.Td>{formatDate(t.lastFiredAt)}</Table.Td>
                <Table.Td>{formatDate(t.nextFireAt)}</Table.Td>
                <Table.Td>
                  <Badge size="sm" color={t.enabled ? 'green' : 'gray'}>{t.enabled ? 'enabled' : t.disabledInFlow ? 'disabled in flow' : 'disabled'}</Badge>
                </Table.Td>
                {(canToggle || canBackfill) && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {canToggle && !t.disabledInFlow && (
                        <Button size="compact-xs" variant="light" onClick={() => toggle(t)} aria-label={`${t.enabled ? 'Disable' : 'Enable'} ${t.id} of ${t.flowId}`}>
                          {t.enabled ? 'Disable' : 'Enable'}
                        </Button>
                      )}
                      {canBackfill && t.kind === 'Schedule' && t.cron && (
                        <Button size="compact-xs" variant="light" onClick={() => setBackfill(t)} aria-label={`Backfill ${t.id} of ${t.flowId}`}>
                          Backfill…
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {!error && data && triggers.length === 0 && <Text c="dimmed" size="sm">No flow declares a trigger.</Text>}
      <Modal opened={backfill !== null} onClose={() => setBackfill(null)} title="Backfill a schedule">
        {backfill && <BackfillForm trigger={backfill} />}
      </Modal>
    </>
  );
}
