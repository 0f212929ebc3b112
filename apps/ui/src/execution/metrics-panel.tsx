import { SimpleGrid, Table, Text } from '@mantine/core';
import type { TaskRun } from '../api/types.js';
import { BarChart } from '../charts/bar-chart.js';
import { formatDuration } from '../components/format.js';

const durationMs = (run: TaskRun) => (run.startDate && run.endDate ? Date.parse(run.endDate) - Date.parse(run.startDate) : undefined);
const metricValue = (type: string, value: number) => (type === 'timer' ? formatDuration(value) : String(value));

/** Every metric the runs reported, attempt by attempt. */
export function MetricsTable({ runs }: { runs: readonly TaskRun[] }) {
  const rows = runs.flatMap((run) => (run.metrics ?? []).map((m) => ({ run, m })));
  if (rows.length === 0) return <Text c="dimmed" size="sm">No metric reported (Script and Request tasks report counters and timers).</Text>;
  return (
    <Table withTableBorder fz="xs" aria-label="Task metrics">
      <Table.Thead>
        <Table.Tr><Table.Th>Task</Table.Th><Table.Th>Metric</Table.Th><Table.Th>Type</Table.Th><Table.Th>Value</Table.Th><Table.Th>Attempt</Table.Th><Table.Th>Tags</Table.Th></Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(({ run, m }, i) => (
          <Table.Tr key={i}>
            <Table.Td>{run.taskId}{run.value ? ` (${run.value})` : ''}</Table.Td>
            <Table.Td>{m.name}</Table.Td>
            <Table.Td>{m.type}</Table.Td>
            <Table.Td>{metricValue(m.type, m.value)}</Table.Td>
            <Table.Td>{m.attempt ?? ''}</Table.Td>
            <Table.Td>{m.tags ? Object.entries(m.tags).map(([k, v]) => `${k}=${v}`).join(', ') : ''}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The execution's metrics tab: task durations and every metric as bars, then the full table. */
export function MetricsPanel({ runs }: { runs: readonly TaskRun[] }) {
  const durations = runs.flatMap((r) => {
    const ms = durationMs(r);
    return ms === undefined ? [] : [{ label: r.value ? `${r.taskId} (${r.value})` : r.taskId, value: ms }];
  });
  const metrics = new Map<string, { type: string; value: number }>();
  for (const run of runs) {
    for (const m of run.metrics ?? []) {
      const key = `${run.taskId} · ${m.name}`;
      const current = metrics.get(key);
      metrics.set(key, { type: m.type, value: (current?.value ?? 0) + m.value });
    }
  }
  return (
    <>
      <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="execution-metrics">
        {durations.length > 0 ? <BarChart title="Task durations" bars={durations} format={formatDuration} unit="duration" /> : <Text c="dimmed">No finished task run yet.</Text>}
        {[...metrics].some(([, m]) => m.type === 'counter') && (
          <BarChart title="Counters" bars={[...metrics].filter(([, m]) => m.type === 'counter').map(([label, m]) => ({ label, value: m.value, color: 'teal' }))} unit="count" />
        )}
        {[...metrics].some(([, m]) => m.type === 'timer') && (
          <BarChart title="Timers" bars={[...metrics].filter(([, m]) => m.type === 'timer').map(([label, m]) => ({ label, value: m.value, color: 'grape' }))} format={formatDuration} unit="duration" />
        )}
      </SimpleGrid>
      <MetricsTable runs={runs} />
    </>
  );
}
