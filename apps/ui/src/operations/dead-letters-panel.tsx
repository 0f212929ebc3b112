import { Badge, Button, Group, Modal, ScrollArea, Select, Stack, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { errorMessage } from '../api/graphql-client.js';
import { DEAD_LETTER_QUEUES, DEAD_LETTERS, REDRIVE } from '../api/operations.js';
import type { DeadLetter, DeadLetterQueue } from '../api/types.js';
import { useSession } from '../auth/session-context.js';
import { ErrorPanel, NotAvailable } from '../components/error-panel.js';
import { formatDate } from '../components/format.js';
import { JsonView } from '../components/json-view.js';
import { useApiQuery } from '../hooks/use-api-query.js';

/** Dead-letter topics; their messages to inspect and redrive (OPERATOR and ADMIN, all namespaces). */
export function DeadLettersPanel() {
  const { client, access, surface } = useSession();
  const available = surface.hasQuery('deadLetterQueues') && surface.hasQuery('deadLetters');
  const queues = useApiQuery<{ deadLetterQueues: DeadLetterQueue[] }>(DEAD_LETTER_QUEUES, {}, !available || !access.canExecute);
  const [topic, setTopic] = useState<string | null>(null);
  const letters = useApiQuery<{ deadLetters: DeadLetter[] }>(DEAD_LETTERS, { topic }, !topic);
  const [inspected, setInspected] = useState<DeadLetter | null>(null);
  const canRedrive = surface.hasMutation('redriveDeadLetter');

  useEffect(() => {
    const list = queues.data?.deadLetterQueues ?? [];
    if (!topic && list.length) setTopic((list.find((q) => q.count > 0) ?? list[0]).topic);
  }, [queues.data, topic]);

  const redrive = (letter: DeadLetter) =>
    modals.openConfirmModal({
      title: 'Redrive this message?',
      children: <Text size="sm">Its original key, value and headers go back to {letter.sourceTopic}, once. Fix what made it fail first.</Text>,
      labels: { confirm: 'Redrive', cancel: 'Cancel' },
      onConfirm: async () => {
        try {
          await client.request(REDRIVE, { topic: letter.topic, offset: letter.offset, partition: letter.partition });
          notifications.show({ color: 'green', message: `Redriven to ${letter.sourceTopic}` });
          letters.reload();
          queues.reload();
        } catch (e) {
          notifications.show({ color: 'red', title: 'Not redriven', message: errorMessage(e) });
        }
      },
    });

  if (!available) return <NotAvailable feature="Dead letters" detail="This server's API does not expose dead letters." />;
  if (!access.canExecute) return <Text c="dimmed" size="sm">Dead letters are shown to OPERATOR and ADMIN tokens.</Text>;
  const queueList = queues.data?.deadLetterQueues ?? [];
  return (
    <Stack>
      <ErrorPanel title="Dead letters could not be loaded" message={queues.error ?? letters.error} />
      {queues.data && queueList.length === 0 && <Text c="dimmed" size="sm">No dead-letter topic has messages.</Text>}
      {queueList.length > 0 && (
        <Select
          label="Dead-letter topic"
          data={queueList.map((q) => ({ value: q.topic, label: `${q.topic} (${q.count}) ← ${q.sourceTopic}` }))}
          value={topic}
          onChange={setTopic}
          allowDeselect={false}
          maw={480}
        />
      )}
      {topic && (
        <ScrollArea>
          <Table striped miw={720} fz="sm" aria-label="Dead letters">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Offset</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Failed</Table.Th>
                <Table.Th>Redriven</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(letters.data?.deadLetters ?? []).map((l) => (
                <Table.Tr key={`${l.partition}/${l.offset}`}>
                  <Table.Td ff="monospace">{l.partition}/{l.offset}</Table.Td>
                  <Table.Td ff="monospace">{l.key}</Table.Td>
                  <Table.Td>{l.reason}</Table.Td>
                  <Table.Td>{formatDate(l.failedAt)}</Table.Td>
                  <Table.Td>{l.redrivenAt ? <Badge size="xs" color="green">{formatDate(l.redrivenAt)} by {l.redrivenBy}</Badge> : '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="default" onClick={() => setInspected(l)}>Inspect</Button>
                      {canRedrive && !l.redrivenAt && <Button size="compact-xs" variant="light" onClick={() => redrive(l)}>Redrive</Button>}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <Modal opened={inspected !== null} onClose={() => setInspected(null)} title="Dead letter" size="lg">
        {inspected && (
          <Stack>
            <Text size="sm"><strong>Reason:</strong> {inspected.reason}</Text>
            <Title order={5}>Value</Title>
            {inspected.json !== undefined && inspected.json !== null ? <JsonView label="Value" value={inspected.json} expanded /> : <Text ff="monospace" size="xs">{inspected.value ?? '(none)'}</Text>}
            <Title order={5}>Headers</Title>
            <JsonView label="Headers" value={inspected.headers} expanded />
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
