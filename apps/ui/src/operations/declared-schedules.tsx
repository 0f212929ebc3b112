import { ScrollArea, Table, Text } from '@mantine/core';
import { FLOWS } from '../api/operations.js';
import type { Flow } from '../api/types.js';
import { ErrorPanel } from '../components/error-panel.js';
import { useApiQuery } from '../hooks/use-api-query.js';

/** Without a triggers API: the triggers the flows declare (read-only), so the page still informs. */
export function DeclaredSchedules() {
  const { data, error } = useApiQuery<{ flows: Flow[] }>(FLOWS);
  const rows = (data?.flows ?? []).flatMap((f) =>
    (Array.isArray(f.triggers) ? (f.triggers as Array<Record<string, unknown>>) : []).map((t): Record<string, unknown> => ({ flow: `${f.namespace}.${f.id}`, ...t })),
  );
  return (
    <>
      <ErrorPanel title="Flows could not be loaded" message={error} />
      <ScrollArea>
        <Table striped miw={520} fz="sm" aria-label="Declared triggers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Flow</Table.Th>
              <Table.Th>Trigger</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Schedule</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={i}>
                <Table.Td>{String(r.flow)}</Table.Td>
                <Table.Td>{String(r.id ?? '')}</Table.Td>
                <Table.Td>{String(r.type ?? '')}</Table.Td>
                <Table.Td ff="monospace">{String(r.cron ?? r.expression ?? '')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {rows.length === 0 && !error && <Text c="dimmed" size="sm">No flow declares a trigger.</Text>}
    </>
  );
}
