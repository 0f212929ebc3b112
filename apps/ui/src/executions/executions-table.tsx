import { Anchor, Badge, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { ExecutionSummary } from '../api/types.js';
import { durationBetween, formatDate, shortId } from '../components/format.js';
import { StateBadge } from '../components/state-badge.js';

export function ExecutionsTable({ executions }: { executions: readonly ExecutionSummary[] }) {
  return (
    <ScrollArea>
      <Table striped highlightOnHover miw={860} aria-label="Executions" data-testid="executions-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Execution</Table.Th>
            <Table.Th>Flow</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Status message</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>Labels</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {executions.map((e) => (
            <Table.Tr key={e.id} data-execution={e.id}>
              <Table.Td>
                <Anchor component={Link} to={`/executions/${e.id}`} ff="monospace" aria-label={`Execution ${e.id}`}>
                  {shortId(e.id)}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {e.name && <Text size="sm" fw={500} data-testid="execution-name">{e.name}</Text>}
                {e.namespace}.{e.flowId} <Text span c="dimmed" size="xs">r{e.flowRevision}</Text>
              </Table.Td>
              <Table.Td>
                <Stack gap={2} align="flex-start">
                  <StateBadge state={e.state} />
                  {e.mode === 'DEVELOPMENT' && <Badge size="xs" color="grape" variant="light" title="A development (test) run">dev</Badge>}
                  {e.priority != null && <Badge size="xs" color="gray" variant="outline" title="Priority (higher first)">priority {e.priority}</Badge>}
                </Stack>
              </Table.Td>
              <Table.Td data-testid="status-message">
                <Text size="xs" lineClamp={2}>{e.message ?? ''}</Text>
              </Table.Td>
              <Table.Td>{formatDate(e.startDate)}</Table.Td>
              <Table.Td>{durationBetween(e.startDate, e.endDate)}</Table.Td>
              <Table.Td>
                <Text size="xs">{Object.entries(e.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
