import { Accordion, Anchor, Group, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { TaskRun } from '../api/types.js';
import { durationBetween, formatDate, shortId } from '../components/format.js';
import { JsonView } from '../components/json-view.js';
import { StateBadge } from '../components/state-badge.js';
import { taskRunRows } from './task-run-tree.js';

/**
 * The task runs as a tree: ForEach iterations show their value, Subflow runs link to the child
 * execution; each opens to its attempts (errors included) and outputs.
 */
export function TaskTree({ runs, childExecutions, selected, onSelect }: { runs: readonly TaskRun[]; childExecutions: ReadonlyMap<string, string>; selected?: string | null; onSelect?(id: string | null): void }) {
  const rows = taskRunRows(runs);
  if (rows.length === 0) return <Text c="dimmed">No task run yet.</Text>;
  return (
    <Accordion multiple={false} value={selected ?? null} onChange={(v) => onSelect?.(v)} variant="contained" chevronPosition="left" data-testid="task-tree">
      {rows.map(({ run, depth }) => {
        const child = childExecutions.get(run.id);
        return (
          <Accordion.Item key={run.id} value={run.id} data-task-run={run.taskId}>
            <Accordion.Control pl={8 + depth * 20} aria-label={`${run.taskId}${run.value ? ` value ${run.value}` : ''}, ${run.state}`}>
              <Group gap="xs" wrap="wrap">
                <Text fw={500} size="sm">
                  {run.taskId}
                </Text>
                {run.value && (
                  <Text size="xs" c="dimmed" ff="monospace">
                    value: {run.value}
                  </Text>
                )}
                <StateBadge state={run.state} size="xs" />
                <Text size="xs" c="dimmed">
                  {durationBetween(run.startDate, run.endDate)}
                </Text>
                {run.attempts.length > 1 && <Text size="xs">{run.attempts.length} attempts</Text>}
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Stack gap="xs">
                {child && (
                  <Text size="sm">
                    Subflow execution:{' '}
                    <Anchor component={Link} to={`/executions/${child}`} ff="monospace">
                      {shortId(child)}
                    </Anchor>
                  </Text>
                )}
                {run.error && (
                  <Text size="sm" c="red">
                    {run.error}
                  </Text>
                )}
                {run.attempts.length > 0 && (
                  <Table withTableBorder fz="xs" aria-label={`Attempts of ${run.taskId}`}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>#</Table.Th>
                        <Table.Th>State</Table.Th>
                        <Table.Th>Started</Table.Th>
                        <Table.Th>Duration</Table.Th>
                        <Table.Th>Error</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {run.attempts.map((a) => (
                        <Table.Tr key={a.number}>
                          <Table.Td>{a.number}</Table.Td>
                          <Table.Td>
                            <StateBadge state={a.state} size="xs" />
                          </Table.Td>
                          <Table.Td>{formatDate(a.startDate)}</Table.Td>
                          <Table.Td>{durationBetween(a.startDate, a.endDate)}</Table.Td>
                          <Table.Td>{a.error ?? ''}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
                <JsonView label="Outputs" value={run.outputs} />
              </Stack>
            </Accordion.Panel>
          </Accordion.Item>
        );
      })}
    </Accordion>
  );
}
